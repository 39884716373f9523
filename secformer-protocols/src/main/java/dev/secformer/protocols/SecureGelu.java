package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.TruncatedProducts;
import dev.secformer.core.Truncation;

/**
 * SecFormer's GeLU: GeLU(x) = x Phi(x), Phi(x) = (1 + erf(x / sqrt 2)) / 2, with erf(x / sqrt 2)
 * approximated in three segments by a {@link SegmentedFourier} series in x (period P = 16,
 * 7 terms, breakpoint B in units of x). With lower = [x &lt; -B], below = [x &lt; B] and
 * g = x (1 + f) / 2, GeLU = x + below (g - x) - lower g: 0 below -B, g in the middle, x above B.
 *
 * <pre>
 *   f = sum_j beta_j sin(2 pi j x / 16)     round 1: the secure sine's opening (20 bits), beside the
 *                                           comparison's first opening (of x + B and x - B)
 *   g = x (1 + f) / 2                       a Beaver product whose openings ride in the
 *                                           comparison's digit round (round 2); f, at 2f bits,
 *                                           truncated on the way in ({@link TruncatedProducts})
 *   lower (-g) + below (g - x)              round 3: the comparison's conversion, its bits
 *                                           multiplied by values as they are converted, the values
 *                                           (at 2f + 1 bits) truncated on the way in
 *   GeLU = x + that                         local
 * </pre>
 *
 * <p>Accuracy (measured by the tests): below -B the result is 0 within one unit (the two selected
 * values are truncated separately), max |error| about 2e-3 on [-8, 8] and on [-100, 100]
 * at the default B = 3.8 (chosen as the breakpoint with the smallest measured maximum error, with
 * fixed-point noise, among 2.5..4.5); valid for |x| &lt; 2^15 - B (the comparison's range).
 *
 * <p>Cost per element with {@link DigitComparison} (l = 32), with the exact truncation: 3 rounds;
 * online bytes 2 x 7.75 (two comparisons under one mask: one opening of x + r for both) + 5
 * (sine) + 32 (product) + 2 x 16 (bits times values) = 84.5 (both parties); dealer: 2 x 110 - 24
 * (comparisons, with the multiplication and truncation material; one set of digit tables) + 7 x 16
 * (sine) + 32 (product with its truncation) = 340 bytes to party 1. With the local truncation:
 * 3 rounds, 84.5 online bytes, 268 dealer bytes.
 */
public final class SecureGelu implements GeluProtocol {
    /** Default breakpoint, in units of x. */
    public static final double DEFAULT_BREAKPOINT = 3.8;

    private final SegmentedFourier erf;
    private final DigitComparison cmp;

    public SecureGelu() {
        this(DEFAULT_BREAKPOINT, new DigitComparison());
    }

    public SecureGelu(double breakpoint, DigitComparison cmp) {
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
        return applyUntruncated(p, x, 0);
    }

    /**
     * GeLU of a linear layer's raw output (f + bits fractional bits): the comparisons and the sine
     * read the high bits of x, and x is truncated on the way into the product, so the truncation
     * costs neither a round nor its 16 online bytes per element. The sine's angle may then be off
     * by 2 units of 2^-f (an error below 1e-4, within the documented one).
     */
    @Override
    public SharedTensor applyUntruncated(Party p, SharedTensor x, int bits) {
        boolean exact = p.fixedPoint().exactTruncation();
        if (bits > 0 && !exact) { // the local truncation is free
            return GeluProtocol.super.applyUntruncated(p, x, bits);
        }
        double bound = Math.scalb(1.0, 15) - erf.breakpoint() - 1;
        int f = p.fixedPoint().fractionBits();
        RangeCheck.require(p, x, f + bits, -bound, bound, "SecureGelu");
        // the selection's values are truncated on the way in (exact truncation) or after it (local)
        SegmentedFourier.Evaluation e = erf.start(p, cmp, x, bits, exact ? f + 1 : 0);
        // 1 + f at 2f bits, truncated on the way into the product with x (itself truncated by bits)
        SharedTensor onePlusErf = e.series().addPublic(p.fixedPoint().one() << f);
        ProductBatch product = new ProductBatch(p);
        int i = TruncatedProducts.mul(product, onePlusErf, f,
                bits == 0 ? TruncatedProducts.Operand.plain(x) : TruncatedProducts.Operand.truncated(x, bits));
        ProductBatch.Round g = product.round();
        e.compare(p, g);
        SharedTensor gx = g.results()[i]; // x (1 + f), 2f fractional bits: halved and truncated in the selection
        SharedTensor xf = bits == 0 ? x : g.results()[i + 2]; // x at f bits: the truncated partner
        SharedTensor x2 = xf.mulPublic(2 * p.fixedPoint().one());
        SharedTensor selected = e.select(p, gx.neg(), gx.sub(x2));
        return exact ? xf.add(selected) : Truncation.truncate(p, x2.add(selected), f + 1);
    }
}
