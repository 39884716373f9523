package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.SharedTensor;

/**
 * tanh by the same segmented Fourier approximation as SecFormer's erf (BERT's pooler needs it):
 * -1 below -B, a 7-term sine series of period 16 on [-B, B), +1 above.
 *
 * <pre>
 *   lower = [x &lt; -B], below = [x &lt; B]       one comparison call
 *   f     = sum_j beta_j sin(2 pi j x / 16)   one secure-sine opening
 *   tanh  = (below - lower) f + (1 - below) - lower    one product (bit times fixed point)
 * </pre>
 *
 * <p>Accuracy: max |error| about 3e-3 at the default B = 3.3 (measured by the tests). Cost per
 * element (l = 32): 6 rounds (the sine's opening shares the comparison's first round); about
 * 30.5 + 5 + 32 = 67.5 online bytes; 208 dealer bytes.
 */
public final class SecureTanh {
    public static final double DEFAULT_BREAKPOINT = 3.3;

    private final SegmentedFourier tanh;
    private final Comparison cmp;

    public SecureTanh() {
        this(DEFAULT_BREAKPOINT, new DigitComparison());
    }

    public SecureTanh(double breakpoint, Comparison cmp) {
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
        SegmentedFourier.Pieces s = tanh.evaluate(p, cmp, x);
        long one = p.fixedPoint().one();
        ProductBatch a = new ProductBatch(p);
        a.mul(s.middle(), s.series());
        return a.run()[0].add(s.below().rsubPublic(1).sub(s.lower()).mulPublic(one));
    }
}
