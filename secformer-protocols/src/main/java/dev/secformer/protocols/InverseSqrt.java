package dev.secformer.protocols;

import java.util.Arrays;

import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Truncation;

/**
 * Secure inverse square root, elementwise, for inputs with a public upper bound U and dynamic range
 * R: every input x must lie in [L, U], L = U/R. A line per 1/32 octave of the input, selected by
 * secure comparisons ({@link SegmentedPower}, q = -1/2), in the comparisons' three
 * rounds.
 *
 * <p>SecFormer refines 1/sqrt by Goldschmidt's iteration; this library first started that
 * iteration from a comparison-based guess (a constant per quarter octave, then 2 steps: 7 rounds).
 * A line per segment, 32 segments per octave, is as accurate with no step at all: the first step of
 * the iteration is itself a line in the input, y (3 - x y^2) / 2, with public coefficients per
 * segment, so the comparisons' last round can deliver it; finer segments replace the second step.
 * The comparisons are per input and the inputs are per row (LayerNorm), so four rounds fewer cost
 * a few more comparisons per row, not per element.
 *
 * <p>Accuracy: relative error at most 4e-5 (measured: 3.2e-5, 2.6e-5 below R = 1e5) over 2 000
 * log-spaced inputs for every range R and bound of {@code InverseSqrtTest} (the line's 2.3e-5,
 * the roundings of u and of the slopes, and the comparisons' resolution, 2^-7 of the lowest input
 * at R = 1e5). Above the range, up to 16 U, the result saturates at the top's value: for a
 * LayerNorm row, a variance 10 times vMax is normalised as if it were vMax (an output sqrt(10)
 * times too large, not a diverging one).
 *
 * <p>Cost per element: 3 rounds, 32 log2 R comparisons (532 for R = 1e5) sharing one mask,
 * 3.75 N + 24 online bytes and 70 N + 40 dealer bytes; see {@link SegmentedPower}. In LayerNorm the input is
 * one value per row, so this is per row, not per element of the activation.
 *
 * <p>Input 0 (a constant LayerNorm row, BERT's eps 1e-12 being 0 at this precision) is outside the
 * range: it lands in the first segment and gets that line's value at 0, a bounded value that
 * {@link SecureLayerNorm} multiplies by an exact 0. Other inputs outside [L, U] give the nearest
 * segment's line, wrong far outside; check mode ({@link BoundsCheck}) reports them.
 */
public final class InverseSqrt {
    /** Widest dynamic range accepted. */
    public static final double MAX_RATIO = 1e5;
    static final int SEGMENTS_PER_OCTAVE = 32;
    /** Fractional bits that carry the result's accuracy ({@link Result#excessBits} more are returned). */
    static final int Y_BITS = 24;

    /**
     * Shares of 1/sqrt(x) as {@code decode(value, fractionBits) * factor}, factor = 2^(-E/2); the
     * last {@code excessBits} of the value are below its accuracy, for the caller to truncate.
     */
    public record Result(SharedTensor value, int fractionBits, int exponent, int excessBits) {
        /** The public factor 2^(-E/2) that scales the value. */
        public double factor() {
            return Math.pow(2, -exponent / 2.0);
        }
    }

    private final double ratio;
    private final SegmentedPower segments;

    /** Inputs in [U/ratio, U] for their bound U, ratio &lt;= {@link #MAX_RATIO}. */
    public InverseSqrt(double ratio) {
        if (!(ratio >= 1 && ratio <= MAX_RATIO)) {
            throw new IllegalArgumentException("dynamic range must be in [1, " + MAX_RATIO + "], got " + ratio
                    + " (wider ranges lose the accuracy of the fixed-point formats; split them)");
        }
        this.ratio = ratio;
        this.segments = new SegmentedPower(-0.5, ratio, SEGMENTS_PER_OCTAVE);
    }

    public double ratio() {
        return ratio;
    }

    /** Communication rounds of one call. */
    public int rounds() {
        return segments.rounds();
    }

    /** Comparisons per input element. */
    public int comparisonsPerElement() {
        return segments.comparisons();
    }

    /**
     * Fixed-point shares of 1/sqrt(x), x in [U/R, U] with f fractional bits: one round more, the
     * truncation (an odd exponent's sqrt(2) is folded into the lines). The plain fixed-point output
     * loses relative precision when 1/sqrt(x) is small (2^-16 absolute); {@link #applyScaled} keeps it.
     */
    public SharedTensor apply(Party p, SharedTensor x, double upperBound) {
        int f = p.fixedPoint().fractionBits();
        int tau = SegmentedPower.exponent(upperBound / ratio);
        boolean odd = Math.floorMod(tau, 2) == 1;
        Result r = evaluate(p, x, f, upperBound, odd ? Math.sqrt(2) : 1, "InverseSqrt", "input", false);
        // 2^(-E/2) = 2^-h, times sqrt(2) (already in the value) when E is odd
        int half = Math.floorDiv(r.exponent() + 1, 2);
        ProductBatch batch = new ProductBatch(p); // the value is near 2^60: exact even in the local mode
        int out = Truncation.joinExact(batch, r.value(), r.fractionBits() + half - f);
        return batch.run()[out];
    }

    /**
     * Shares of 1/sqrt(x) in scaled form, for ring values x with {@code fractionBits} fractional
     * bits (for instance a sum of raw squares at 2f bits, which keeps small variances precise),
     * x in [U/R, U] (or exactly 0 if {@code allowZero}). {@code protocol} and {@code what} name the
     * caller and the value in check-mode messages.
     */
    Result applyScaled(Party p, SharedTensor x, int fractionBits, double upperBound, String protocol, String what,
                       boolean allowZero) {
        return evaluate(p, x, fractionBits, upperBound, 1, protocol, what, allowZero);
    }

    private Result evaluate(Party p, SharedTensor x, int fractionBits, double upperBound, double scale,
                            String protocol, String what, boolean allowZero) {
        if (!(upperBound > 0) || Double.isInfinite(upperBound)) {
            throw new IllegalArgumentException("upper bound must be positive and finite, got " + upperBound);
        }
        int n = x.size();
        double[] lo = new double[n];
        double[] hi = new double[n];
        Arrays.fill(lo, upperBound / ratio);
        Arrays.fill(hi, upperBound);
        BoundsCheck.require(p, x, fractionBits, lo, hi, allowZero, protocol, what);
        try (var ph = p.phase("inv-sqrt")) {
            double[] bounds = new double[n];
            Arrays.fill(bounds, upperBound);
            SharedTensor y = segments.evaluate(p, x, fractionBits, bounds, scale).value();
            // y = 1/sqrt(u) lies in (2^-G, 1]: read it as y 2^G with G fewer fractional bits
            int tau = SegmentedPower.exponent(upperBound / ratio);
            int headroom = (int) Math.ceil(0.5 * Math.log(2 * ratio) / Math.log(2));
            return new Result(y, SegmentedPower.RAW_BITS - headroom, tau + 2 * headroom,
                    SegmentedPower.RAW_BITS - Y_BITS);
        }
    }
}
