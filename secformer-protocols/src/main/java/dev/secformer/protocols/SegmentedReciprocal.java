package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Truncation;

/**
 * Secure reciprocal of divisors with a public upper bound U_i per element and a public dynamic
 * range R (every divisor y_i in [U_i/R, U_i]): a line per 1/32 octave of the divisor, selected by
 * secure comparisons ({@link SegmentedPower}, q = -1), then one truncation.
 *
 * <pre>
 *   u   = y / 2^tau                 tau = floor(log2(U / R)), per element
 *   v   = a_j + b_j u ~ 1 / u       j = u's segment: the comparisons' 3 rounds
 *   r   = v / 2^(60 - b)            exact truncation to b = 19 + floor(log2 2R) fractional bits
 *                                   (1 round; 24 at R = 32), 18 significant bits at least
 *   then r stands for 2^(b + tau) / y ({@link ScaledReciprocal}; {@link ScaledReciprocal#divide})
 * </pre>
 *
 * <p>It replaces {@link GoldschmidtDivision}'s k steps (9 at R = 32: 10 rounds) by 4 rounds: a
 * first Goldschmidt step from a guess per segment is itself a line in y with public coefficients
 * per segment, which the comparisons' last round delivers, and 32 segments per octave leave no
 * error for further steps to remove (the line's relative error is about (2^(1/32) - 1)^2 / 8 =
 * 6e-5). The price is comparisons: 32 log2 R per divisor (160 at R = 32), sharing the
 * divisor's mask (3.75 online and 70 dealer bytes each), per divisor and not per element of the
 * dividend.
 *
 * <p>Accuracy: relative error at most 8e-5 (measured: 7.1e-5; {@code SegmentedReciprocalTest}: ranges 1 to 1e3,
 * bounds 1 to 65536). A bound U_i = 0 marks a divisor that is exactly 0 (an empty softmax row):
 * its reciprocal is bounded, not meaningful. Divisors outside their range get the nearest
 * segment's line, wrong far outside; check mode ({@link BoundsCheck}) reports them.
 *
 * <p>Cost per divisor: 4 rounds; online 3.75 N + 40 bytes (both parties: the comparisons, their
 * mask's opening, the opened u and the truncation), dealer 70 N + 56 bytes.
 */
public final class SegmentedReciprocal {
    static final int SEGMENTS_PER_OCTAVE = 32;
    /** Significant bits kept of the smallest returned value 2^b / u (u below 2R). */
    private static final int SIGNIFICANT_BITS = 18;

    private final double ratio;
    private final SegmentedPower segments;
    /** b: fractional bits of the returned value 2^b / u. */
    private final int reciprocalBits;

    /** Divisors in [U/ratio, U] for their bound U. */
    public SegmentedReciprocal(double ratio) {
        if (!(ratio >= 1) || Double.isInfinite(ratio)) {
            throw new IllegalArgumentException("the divisors' dynamic range must be >= 1 and finite, got " + ratio);
        }
        this.ratio = ratio;
        this.segments = new SegmentedPower(-1, ratio, SEGMENTS_PER_OCTAVE);
        this.reciprocalBits = SIGNIFICANT_BITS + Math.getExponent(2 * ratio) + 1;
        if (reciprocalBits > SegmentedPower.RAW_BITS) {
            throw new IllegalArgumentException("dynamic range " + ratio + " is too wide for the fixed point; split it");
        }
    }

    public double ratio() {
        return ratio;
    }

    /** Rounds of {@link #reciprocal}: the comparisons' 3 and the truncation. */
    public int rounds() {
        return segments.rounds() + 1;
    }

    /** Comparisons per divisor when every divisor has the same bound (up to an octave more otherwise). */
    public int comparisonsPerDivisor() {
        return segments.comparisons();
    }

    /**
     * Shares of 2^scale_i / y_i for fixed-point shares y, element i in [U_i/R, U_i] (U_i = 0: y_i is
     * exactly 0).
     */
    public ScaledReciprocal reciprocal(Party p, SharedTensor y, double[] upperBounds) {
        checkBounds(p, y, upperBounds, "SegmentedReciprocal", "divisor");
        try (var ph = p.phase("reciprocal")) {
            SegmentedPower.Powers v = segments.evaluate(p, y, p.fixedPoint().fractionBits(), upperBounds, 1);
            ProductBatch batch = new ProductBatch(p); // v is near 2^60: exact even in the local mode
            int r = Truncation.joinExact(batch, v.value(), SegmentedPower.RAW_BITS - reciprocalBits);
            int[] scale = v.exponents();
            for (int i = 0; i < scale.length; i++) {
                scale[i] += reciprocalBits;
            }
            return new ScaledReciprocal(batch.run()[r], scale);
        }
    }

    /** b: the fractional bits that {@link #reciprocal} keeps of 1 / u (at least 18 significant). */
    int reciprocalBits() {
        return reciprocalBits;
    }

    /**
     * 1 / (y_i / 2^tau_i) at {@link SegmentedPower#RAW_BITS} fractional bits and the tau_i, before
     * {@link #reciprocal}'s truncation, for a caller that truncates it on the way into a product (3
     * rounds); {@code protocol} and {@code what} name the caller and the value in check-mode messages.
     */
    SegmentedPower.Powers raw(Party p, SharedTensor y, double[] upperBounds, String protocol, String what) {
        checkBounds(p, y, upperBounds, protocol, what);
        try (var ph = p.phase("reciprocal")) {
            return segments.evaluate(p, y, p.fixedPoint().fractionBits(), upperBounds, 1);
        }
    }

    private void checkBounds(Party p, SharedTensor y, double[] upperBounds, String protocol, String what) {
        int n = y.size();
        if (upperBounds.length != n) {
            throw new IllegalArgumentException(upperBounds.length + " bounds for " + n + " divisors");
        }
        double[] lo = new double[n];
        for (int i = 0; i < n; i++) {
            double u = upperBounds[i];
            if (!(u >= 0) || Double.isInfinite(u)) {
                throw new IllegalArgumentException("divisor bound " + i + " must be finite and >= 0, got " + u);
            }
            lo[i] = u / ratio;
        }
        BoundsCheck.require(p, y, lo, upperBounds, protocol, what);
    }
}
