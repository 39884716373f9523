package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.TruncatedProducts;
import dev.secformer.core.Truncation;

/**
 * PUMA's GeLU (Dong et al., 2023): 0 for x &lt; -4; F0(x), degree 3, on [-4, -1.95); F1(x), degree
 * 6 and even but for the linear term, on [-1.95, 3); x from 3. Coefficients as PUMA publishes them.
 *
 * <pre>
 *   b0 = [x &lt; -4], b1 = [x &lt; -1.95], b2 = [x &lt; 3]    one comparison call on 3 n elements
 *   x^2                                                1 round (square)
 *   x^3 = x^2 x, x^4 = x^2 x^2                          1 round
 *   x^6 = x^3 x^3                                      1 round (x^4 truncated beside it)
 *   GeLU = (b1 - b0) F0 + (b2 - b1) F1 + (1 - b2) x     1 round (3 bit-by-fixed-point products)
 * </pre>
 * Every truncation is exact and rides in the next round: x^2 and x^3 on the way into the products
 * that use them, F0 and F1 (summed at 3f bits) on the way into the selection ({@link TruncatedProducts}).
 *
 * <p>Cost per element with {@link DigitComparison}, with the exact truncation: 3 + 3 + 1 = 7 rounds;
 * online bytes 3 x 11.75 + 16 + (32 + 16) + (16 + 16) + 3 x 32 = 227.25 (both parties); dealer
 * 3 x 78 + 8 + 32 + 32 + 32 + 16 + 32 + 32 + 8 = 426 bytes. With the local truncation:
 * 211.25 online and 290 dealer bytes.
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
        SharedTensor x2Raw = s.run()[0];
        ProductBatch r2 = new ProductBatch(p);
        int x3 = TruncatedProducts.mul(r2, x2Raw, f, TruncatedProducts.Operand.plain(flat));
        int x4 = TruncatedProducts.square(r2, x2Raw, f);
        SharedTensor[] o = r2.run();
        ProductBatch r3 = new ProductBatch(p);
        int x6 = TruncatedProducts.square(r3, o[x3], f);
        int x4t = Truncation.join(r3, o[x4], f);
        SharedTensor[] q = r3.run();
        // powers at f bits but x^6 at 2f; the polynomials at 3f bits, truncated on the way into the selection
        SharedTensor[] powers = {flat, o[x3 + 1], q[x6 + 1], q[x4t]};
        SharedTensor x6Raw = q[x6];
        ProductBatch sel = new ProductBatch(p);
        int low = TruncatedProducts.mul(sel, polynomial(p, F0, powers, x6Raw), 2 * f, TruncatedProducts.Operand.plain(b1.sub(b0)));
        int middle = TruncatedProducts.mul(sel, polynomial(p, F1, powers, x6Raw), 2 * f, TruncatedProducts.Operand.plain(b2.sub(b1)));
        int identity = sel.mul(b2.rsubPublic(1), flat);
        SharedTensor[] all = sel.run();
        SharedTensor[] parts = {all[low], all[middle], all[identity]};
        return parts[0].add(parts[1]).add(parts[2]).reshape(shape);
    }

    /** sum_i c_i x^i at 3f fractional bits from x..x^4 at f bits and x^6 at 2f (public coefficients). */
    private static SharedTensor polynomial(Party p, double[] c, SharedTensor[] powers, SharedTensor x6Raw) {
        int f = p.fixedPoint().fractionBits();
        SharedTensor acc = p.sharePublic(RingTensor.filled(p.fixedPoint().encode(c[0]) << (2 * f), powers[0].size()));
        for (int i = 1; i < c.length; i++) {
            if (c[i] == 0) {
                continue;
            }
            long coefficient = p.fixedPoint().encode(c[i]);
            acc = acc.add(i == 6 ? x6Raw.mulPublic(coefficient) : powers[i - 1].mulPublic(coefficient << f));
        }
        return acc;
    }
}
