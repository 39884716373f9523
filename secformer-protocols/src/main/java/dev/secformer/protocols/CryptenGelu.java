package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Truncation;

/**
 * CrypTen's GeLU: x (1 + erf(x / sqrt 2)) / 2 with erf by its Taylor series, as CrypTen computes
 * it (8 terms after the linear one): erf(z) = 2/sqrt(pi) sum_{n=0..8} (-1)^n z^(2n+1) / (n! (2n+1)).
 * The series diverges from erf for |z| above about 2 (|x| above about 2.8): the baseline is
 * accurate only near 0, which is why CrypTen-based systems replace it.
 *
 * <pre>
 *   z = x / sqrt 2                       local (public product, truncation)
 *   z^2                                  1 round
 *   z^(2n+1) = z^(2n-1) z^2, n = 1..8    8 rounds
 *   GeLU = x (1 + erf) / 2               1 round
 * </pre>
 *
 * <p>Cost per element: 10 rounds; online bytes 16 + 8 x 32 + 32 = 304 (both parties); dealer 10
 * elements (80 bytes).
 */
public final class CryptenGelu implements GeluProtocol {
    static final int TERMS = 8;

    /** The same approximation in double precision. */
    public static double reference(double x) {
        double z = x / Math.sqrt(2);
        double sum = 0;
        double power = z;
        double factorial = 1;
        for (int n = 0; n <= TERMS; n++) {
            if (n > 0) {
                power *= z * z;
                factorial *= n;
            }
            sum += (n % 2 == 0 ? 1 : -1) * power / (factorial * (2 * n + 1));
        }
        return 0.5 * x * (1 + 2 / Math.sqrt(Math.PI) * sum);
    }

    @Override
    public SharedTensor apply(Party p, SharedTensor x) {
        int f = p.fixedPoint().fractionBits();
        SharedTensor z = Truncation.truncate(p, x.mulPublic(p.fixedPoint().encode(1 / Math.sqrt(2))), f);
        ProductBatch sq = new ProductBatch(p);
        sq.square(z);
        SharedTensor z2 = Truncation.truncate(p, sq.run()[0], f);
        double scale = 2 / Math.sqrt(Math.PI);
        SharedTensor sum = z.mulPublic(p.fixedPoint().encode(scale));
        SharedTensor power = z;
        double factorial = 1;
        for (int n = 1; n <= TERMS; n++) {
            ProductBatch b = new ProductBatch(p);
            b.mul(power, z2);
            power = Truncation.truncate(p, b.run()[0], f);
            factorial *= n;
            double c = (n % 2 == 0 ? 1 : -1) * scale / (factorial * (2 * n + 1));
            sum = sum.add(power.mulPublic(p.fixedPoint().encode(c)));
        }
        // x (1 + erf) / 2: the halving joins the product's truncation
        SharedTensor onePlusErf = Truncation.truncate(p, sum, f).addPublic(p.fixedPoint().one());
        ProductBatch out = new ProductBatch(p);
        out.mul(x, onePlusErf);
        return Truncation.truncate(p, out.run()[0], f + 1);
    }
}
