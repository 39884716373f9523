package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.TruncatedProducts;
import dev.secformer.core.Truncation;

/**
 * CrypTen's GeLU: x (1 + erf(x / sqrt 2)) / 2 with erf by its Taylor series, as CrypTen computes
 * it (8 terms after the linear one): erf(z) = 2/sqrt(pi) sum_{n=0..8} (-1)^n z^(2n+1) / (n! (2n+1)).
 * The series diverges from erf for |z| above about 2 (|x| above about 2.8): the baseline is
 * accurate only near 0, which is why CrypTen-based systems replace it.
 *
 * <pre>
 *   z = x / sqrt 2                       local (public product)
 *   z^2                                  1 round, z truncated on the way in
 *   z^(2n+1) = z^(2n-1) z^2, n = 1..8    8 rounds, both factors truncated on the way in
 *   GeLU = x (1 + erf) / 2               1 round, 1 + erf truncated on the way in; 1 round to truncate
 * </pre>
 * The series is summed at 3f bits (the powers untruncated) and every truncation is exact
 * ({@link TruncatedProducts}).
 *
 * <p>Cost per element, with the exact truncation: 11 rounds; online bytes 16 + 8 x 32 + 32 + 16
 * = 320 (both parties); dealer 32 + 32 + 7 x 64 + 32 + 16 = 560 bytes. With the local truncation:
 * 10 rounds, 304 online bytes, 80 dealer bytes.
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
        SharedTensor zRaw = x.mulPublic(p.fixedPoint().encode(1 / Math.sqrt(2))); // z at 2f bits
        ProductBatch first = new ProductBatch(p);
        int sq = TruncatedProducts.square(first, zRaw, f);
        SharedTensor[] r = first.run();
        SharedTensor z2Raw = r[sq];
        SharedTensor z = r[sq + 1];
        double scale = 2 / Math.sqrt(Math.PI);
        // erf's series at 3f bits: the powers stay at 2f bits, each truncated on the way into the next product
        SharedTensor sum = z.mulPublic(p.fixedPoint().encode(scale) << f);
        TruncatedProducts.Operand power = TruncatedProducts.Operand.plain(z);
        double factorial = 1;
        for (int n = 1; n <= TERMS; n++) {
            ProductBatch b = new ProductBatch(p);
            int i = TruncatedProducts.mul(b, z2Raw, f, power);
            SharedTensor powerRaw = b.run()[i];
            factorial *= n;
            double c = (n % 2 == 0 ? 1 : -1) * scale / (factorial * (2 * n + 1));
            sum = sum.add(powerRaw.mulPublic(p.fixedPoint().encode(c)));
            power = TruncatedProducts.Operand.truncated(powerRaw, f);
        }
        // x (1 + erf) / 2: 1 + erf truncated on the way into the product, the halving in the last truncation
        SharedTensor onePlusErf = sum.addPublic(p.fixedPoint().one() << (2 * f));
        return Truncation.truncate(p, TruncatedProducts.mul(p, onePlusErf, 2 * f, x), f + 1);
    }
}
