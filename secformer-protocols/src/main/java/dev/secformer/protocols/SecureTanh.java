package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Truncation;

/**
 * tanh by the same segmented Fourier approximation as SecFormer's erf (BERT's pooler needs it):
 * -1 below -B, a 7-term sine series of period 16 on [-B, B), +1 above.
 *
 * <pre>
 *   f     = sum_j beta_j sin(2 pi j x / 16)         round 1: one secure-sine opening, beside the
 *                                                   comparison's first opening (of x + B and x - B)
 *   round 2                                         the comparison's digit round, with the series'
 *                                                   truncation
 *   tanh  = 1 - lower (f + 1) + below (f - 1)       round 3: the comparison's bits times values
 * </pre>
 *
 * <p>Accuracy: max |error| about 3e-3 at the default B = 3.3 (measured by the tests). Cost per
 * element (l = 32), with the exact truncation: 3 rounds; 15.5 (two comparisons under one mask)
 * + 5 + 16 (truncation) + 2 x 16 = 68.5 online bytes; 276 dealer bytes.
 */
public final class SecureTanh {
    public static final double DEFAULT_BREAKPOINT = 3.3;

    private final SegmentedFourier tanh;
    private final DigitComparison cmp;

    public SecureTanh() {
        this(DEFAULT_BREAKPOINT, new DigitComparison());
    }

    public SecureTanh(double breakpoint, DigitComparison cmp) {
        this.tanh = new SegmentedFourier(Math::tanh, breakpoint);
        this.cmp = cmp;
    }

    /** The same approximation in double precision. */
    public double reference(double x) {
        return tanh.reference(x);
    }

    public SharedTensor apply(Party p, SharedTensor x) {
        double bound = Math.scalb(1.0, 15) - tanh.breakpoint() - 1;
        RangeCheck.require(p, x, -bound, bound, "SecureTanh");
        SegmentedFourier.Evaluation e = tanh.start(p, cmp, x);
        ProductBatch truncation = new ProductBatch(p);
        Truncation.join(truncation, e.series(), p.fixedPoint().fractionBits());
        ProductBatch.Round rider = truncation.round();
        e.compare(p, rider);
        long one = p.fixedPoint().one();
        SharedTensor f = rider.results()[0];
        return e.select(p, f.addPublic(one).neg(), f.addPublic(-one)).addPublic(one);
    }
}
