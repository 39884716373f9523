package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.SharedTensor;

/**
 * SecFormer's GeLU: GeLU(x) = x Phi(x), Phi(x) = (1 + erf(x / sqrt 2)) / 2, with erf(x / sqrt 2)
 * approximated in three segments by a {@link SegmentedFourier} series in x (period P = 16,
 * 7 terms, breakpoint B in units of x).
 *
 * <pre>
 *   lower = [x &lt; -B], below = [x &lt; B]              one comparison call on [x + B, x - B]
 *   f     = sum_j beta_j sin(2 pi j x / 16)          one secure-sine opening (20 bits), sent in the
 *                                                    comparison's first round
 *   middle = below - lower, upper = 1 - below          local
 *   Phi   = middle (1 + f) / 2 + upper               one product (a bit times fixed point, no truncation)
 *   GeLU  = x Phi                                    one product, truncated
 * </pre>
 *
 * <p>Accuracy (measured by the tests): max |error| about 2e-3 on [-8, 8] and on [-100, 100]
 * at the default B = 3.8 (chosen as the breakpoint with the smallest measured maximum error, with
 * fixed-point noise, among 2.5..4.5); valid for |x| &lt; 2^15 - B (the comparison's range).
 *
 * <p>Cost per element with {@link DigitComparison} (l = 32): rounds 5 (comparison, the sine's
 * opening included) + 2 (products) = 7; online bytes about 2 x 15.25 (two comparisons) + 5 (sine) + 2 x 32 (products)
 * = 99.5 (both parties); dealer: 2 x 48 + 7 x 16 + 2 x 8 = 224 bytes to party 1.
 */
public final class SecureGelu implements GeluProtocol {
    /** Default breakpoint, in units of x. */
    public static final double DEFAULT_BREAKPOINT = 3.8;

    private final SegmentedFourier erf;
    private final Comparison cmp;

    public SecureGelu() {
        this(DEFAULT_BREAKPOINT, new DigitComparison());
    }

    public SecureGelu(double breakpoint, Comparison cmp) {
        this.erf = new SegmentedFourier(x -> Erf.erf(x / Math.sqrt(2)), breakpoint);
        this.cmp = cmp;
    }

    /** The Fourier coefficients beta_1..beta_7 in use. */
    public double[] coefficients() {
        return erf.coefficients();
    }

    /** The same approximation in double precision, for the float reference model. */
    public double reference(double x) {
        return 0.5 * x * (1 + erf.reference(x));
    }

    @Override
    public SharedTensor apply(Party p, SharedTensor x) {
        double bound = Math.scalb(1.0, 15) - erf.breakpoint() - 1;
        RangeCheck.require(p, x, -bound, bound, "SecureGelu");
        int f = p.fixedPoint().fractionBits();
        SegmentedFourier.Pieces s = erf.evaluate(p, cmp, x);
        SharedTensor half = s.series().addPublic(p.fixedPoint().one()).truncate(1); // (1 + f) / 2
        SharedTensor upper = s.below().rsubPublic(1).mulPublic(p.fixedPoint().one());
        ProductBatch a = new ProductBatch(p);
        a.mul(s.middle(), half);
        SharedTensor phi = a.run()[0].add(upper);
        ProductBatch b = new ProductBatch(p);
        b.mul(x, phi);
        return b.run()[0].truncate(f);
    }
}
