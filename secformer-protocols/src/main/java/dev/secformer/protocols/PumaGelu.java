package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Truncation;

/**
 * PUMA's GeLU (Dong et al., 2023): 0 for x &lt; -4; F0(x), degree 3, on [-4, -1.95); F1(x), degree
 * 6 and even but for the linear term, on [-1.95, 3); x from 3. Coefficients as PUMA publishes them.
 *
 * <pre>
 *   b0 = [x &lt; -4], b1 = [x &lt; -1.95], b2 = [x &lt; 3]    one comparison call on 3 n elements
 *   x^2                                                1 round (square)
 *   x^3 = x^2 x, x^4 = x^2 x^2                          1 round
 *   x^6 = x^3 x^3                                      1 round
 *   GeLU = (b1 - b0) F0 + (b2 - b1) F1 + (1 - b2) x     1 round (3 bit-by-fixed-point products)
 * </pre>
 *
 * <p>Cost per element with {@link DigitComparison}: 3 + 3 + 1 = 7 rounds; online bytes
 * 3 x 11.75 + 16 + 2 x 32 + 32 + 3 x 32 = 243.25 (both parties); dealer 3 x 78 + 4 x 8 + 3 x 8 = 290 bytes.
 * Accuracy: max |error| about 0.02 against GeLU (F1 near its ends); the coefficients are
 * quantized to 2^-16, which adds up to 5e-3 (0.0018 x^6 at x = 3).
 */
public final class PumaGelu implements GeluProtocol {
    private static final double[] F0 = {-0.5054031199708174, -0.42226581151983866, -0.11807612951181953, -0.011034134030615728};
    private static final double[] F1 = {0.008526321541038084, 0.5, 0.3603292692789629, 0, -0.037688200365904236, 0, 0.0018067462606141187};

    private final Comparison cmp;

    public PumaGelu() {
        this(new DigitComparison());
    }

    public PumaGelu(Comparison cmp) {
        this.cmp = cmp;
    }

    /** The same approximation in double precision. */
    public static double reference(double x) {
        if (x < -4) {
            return 0;
        }
        if (x < -1.95) {
            return poly(F0, x);
        }
        return x < 3 ? poly(F1, x) : x;
    }

    private static double poly(double[] c, double x) {
        double r = 0;
        for (int i = c.length - 1; i >= 0; i--) {
            r = r * x + c[i];
        }
        return r;
    }

    @Override
    public SharedTensor apply(Party p, SharedTensor x) {
        int f = p.fixedPoint().fractionBits();
        int n = x.size();
        int[] shape = x.shape();
        SharedTensor flat = x.reshape(n);
        SharedTensor bits = cmp.lessThanZero(p, SharedTensor.concat(0, flat.addPublic(p.fixedPoint().encode(4)),
                flat.addPublic(p.fixedPoint().encode(1.95)), flat.addPublic(p.fixedPoint().encode(-3))));
        SharedTensor b0 = bits.slice(0, 0, n);
        SharedTensor b1 = bits.slice(0, n, 2 * n);
        SharedTensor b2 = bits.slice(0, 2 * n, 3 * n);
        ProductBatch s = new ProductBatch(p);
        s.square(flat);
        SharedTensor x2 = Truncation.truncate(p, s.run()[0], f);
        ProductBatch r2 = new ProductBatch(p);
        r2.mul(x2, flat);
        r2.square(x2);
        SharedTensor[] o = r2.run();
        SharedTensor[] x34 = Truncation.truncateAll(p, f, o[0], o[1]);
        SharedTensor x3 = x34[0];
        SharedTensor x4 = x34[1];
        ProductBatch r3 = new ProductBatch(p);
        r3.square(x3);
        SharedTensor x6 = Truncation.truncate(p, r3.run()[0], f);
        SharedTensor[] powers = {null, flat, x2, x3, x4, null, x6};
        SharedTensor[] fs = Truncation.truncateAll(p, f, polynomial(p, F0, powers), polynomial(p, F1, powers));
        SharedTensor f0 = fs[0].addPublic(p.fixedPoint().encode(F0[0]));
        SharedTensor f1 = fs[1].addPublic(p.fixedPoint().encode(F1[0]));
        ProductBatch sel = new ProductBatch(p);
        sel.mul(b1.sub(b0), f0);
        sel.mul(b2.sub(b1), f1);
        sel.mul(b2.rsubPublic(1), flat);
        SharedTensor[] parts = sel.run();
        return parts[0].add(parts[1]).add(parts[2]).reshape(shape);
    }

    /** sum_{i >= 1} c_i x^i at 2f fractional bits from shares of the powers (public coefficients). */
    private static SharedTensor polynomial(Party p, double[] c, SharedTensor[] powers) {
        SharedTensor acc = null;
        for (int i = 1; i < c.length; i++) {
            if (c[i] == 0) {
                continue;
            }
            SharedTensor term = powers[i].mulPublic(p.fixedPoint().encode(c[i]));
            acc = acc == null ? term : acc.add(term);
        }
        return acc;
    }
}
