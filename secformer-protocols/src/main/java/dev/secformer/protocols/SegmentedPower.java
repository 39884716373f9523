package dev.secformer.protocols;

import dev.secformer.core.Open;
import dev.secformer.core.Party;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Truncation;

/**
 * A negative power x^q (q = -1/2 or -1) of positive inputs with a public range [L, U], U = L R, as
 * a line per geometric segment, all in one comparison's three rounds: no iteration.
 *
 * <pre>
 *   u   = x / 2^tau                   tau = floor(log2 L): u in [theta_0, 2R), theta_0 in [1, 2)
 *   l_i = [u &lt; theta_i]              theta_i = theta_0 2^(i/S), i = 1..N, S segments per octave,
 *                                     theta_N at the range's top (above it y is held)
 *                                     (one comparison batch, read from x's raw bits: no truncation;
 *                                     one mask per input for all its thresholds,
 *                                     {@link DigitComparison#startThresholds})
 *   y   = a_j + b_j u                 j = the segment of u; with l_i monotone in i and b_N = 0,
 *       = a_N + sum_i l_i (a_(i-1) - a_i) + sum_i l_i (b_(i-1) - b_i) u
 *                                     the products l_i u in the comparison's last round, u truncated
 *                                     on the way in ({@link DigitComparison.Signs#bitsAndTimes})
 * </pre>
 * Then y = c u^q = c 2^(-q tau) x^q for the caller's public scale c. The line of segment
 * [theta_j, theta_(j+1)] is the minimax line of c u^q there (halfway between the chord and the
 * parallel tangent), whose relative error is about |q (q - 1)| (2^(1/S) - 1)^2 / 16: 2.3e-5 for
 * q = -1/2 and S = 32, 1.5e-5 for q = -1 and S = 64 (the callers' tests measure what it gives with
 * the roundings of u and of the lines).
 *
 * <p>Fixed point: u keeps {@link #U_BITS} fractional bits, y {@link #RAW_BITS} (the slopes b_j
 * need them: b_j u must be exact to about 2^-20 of y where u is 2R and b_j tiny); y is at most
 * c theta_0^q &lt;= c, so c &lt; 2 keeps it below the 2^62 that the caller's truncation accepts.
 * The comparison reads x from bit s on (s = the shift that brings U below 2^27 at the read scale,
 * {@link DigitComparison#startThresholds}): it may place u within 2^(s+1) ring units of a
 * threshold in the neighbouring segment, whose line is as good there.
 *
 * <p>Outside the range: a last threshold at the end of the range's last segment holds the result
 * there (slope 0), so inputs above U, up to 16 U, saturate at the value at the range's top (within
 * one segment) instead of following the line; inputs below L, down to 0, follow the first
 * segment's line, which stays between its value at L and its intercept (about 1.5 and 2 times the
 * value at L for q = -1/2 and -1). Beyond 16 U the comparisons wrap and the result is wrong.
 *
 * <p>Cost per element: N comparisons of {@link DigitComparison} sharing one mask (3.75 online
 * bytes each, 70 dealer bytes with the truncated value), 8 online bytes for the mask's opening and
 * 16 for the opened u, 40 dealer bytes (digit tables and the truncation's parts); 3 rounds. The
 * callers' inputs are one per row (LayerNorm's variance, softmax's denominator), so the
 * comparisons cost little beside the row's elements.
 */
final class SegmentedPower {
    /** Fractional bits of u. */
    static final int U_BITS = 16;
    /** Fractional bits of the result, before the caller's truncation. */
    static final int RAW_BITS = 60;
    /**
     * Largest magnitude (bits) of the upper bound at the comparisons' read scale: 16 times below
     * {@link DigitComparison}'s 2^31, so that inputs up to 16 U still compare right and saturate.
     */
    private static final int COMPARE_BITS = 27;

    private final double power;
    private final double ratio;
    private final int segmentsPerOctave;
    private final DigitComparison comparison = new DigitComparison();

    SegmentedPower(double power, double ratio, int segmentsPerOctave) {
        if (!(power < 0 && power >= -1)) {
            throw new IllegalArgumentException("power must be in [-1, 0), got " + power);
        }
        if (!(ratio >= 1) || Double.isInfinite(ratio)) {
            throw new IllegalArgumentException("dynamic range must be >= 1 and finite, got " + ratio);
        }
        this.power = power;
        this.ratio = ratio;
        this.segmentsPerOctave = segmentsPerOctave;
    }

    /**
     * Thresholds, hence comparisons, per input element, for one bound for all elements: those
     * between the segments of the range and one at its top, above which the result is held.
     */
    int comparisons() {
        return comparisons(1);
    }

    /** The same when the lower bounds' mantissas 2^-tau L span a factor {@code spread} (in [1, 2)). */
    private int comparisons(double spread) {
        return Math.max(1, (int) Math.ceil(segmentsPerOctave * Math.log(ratio * spread) / Math.log(2) - 1e-9) - 1) + 1;
    }

    int rounds() {
        return comparison.rounds();
    }

    /** tau for inputs bounded below by {@code lower} &gt; 0: u = x / 2^tau lies in [1, 2R). */
    static int exponent(double lower) {
        return Math.getExponent(lower);
    }

    /**
     * c (x_e / 2^tau_e)^q at {@link #RAW_BITS} fractional bits and tau_e, elementwise, for ring values x with
     * {@code fractionBits} fractional bits, x_e in [U_e / R, U_e]; tau_e = {@link #exponent}(U_e / R),
     * and a bound U_e = 0 marks an input that is exactly 0 (its result is bounded, not meaningful).
     * The segments start at the smallest mantissa 2^-tau_e U_e / R, so different bounds cost up to
     * one octave of comparisons more. Inputs outside their range: see the class comment.
     */
    Powers evaluate(Party p, SharedTensor x, int fractionBits, double[] upperBounds, double scale) {
        int n = x.size();
        if (upperBounds.length != n) {
            throw new IllegalArgumentException(upperBounds.length + " bounds for " + n + " inputs");
        }
        int[] tau = new int[n];
        double lowest = 2;
        double highest = 1;
        double top = 0;
        int tauMax = Integer.MIN_VALUE;
        for (int e = 0; e < n; e++) {
            if (upperBounds[e] > 0) {
                double lower = upperBounds[e] / ratio;
                tau[e] = exponent(lower);
                double mantissa = Math.scalb(lower, -tau[e]);
                lowest = Math.min(lowest, mantissa);
                highest = Math.max(highest, mantissa);
                tauMax = Math.max(tauMax, tau[e]);
                top = Math.max(top, upperBounds[e]);
            }
        }
        if (tauMax == Integer.MIN_VALUE) { // every input is 0
            tauMax = 0;
            lowest = 1;
        }
        for (int e = 0; e < n; e++) {
            if (!(upperBounds[e] > 0)) {
                tau[e] = tauMax;
            }
        }
        int count = comparisons(Math.max(1, highest / lowest));
        double[] theta = new double[count + 1];
        for (int i = 0; i <= count; i++) {
            theta[i] = lowest * Math.pow(2, (double) i / segmentsPerOctave);
        }
        long[] intercept = new long[count + 1];
        long[] slope = new long[count + 1];
        for (int j = 0; j < count; j++) {
            double[] line = minimaxLine(theta[j], theta[j + 1], scale);
            intercept[j] = Math.round(Math.scalb(line[0], RAW_BITS));
            slope[j] = Math.round(Math.scalb(line[1], RAW_BITS - U_BITS));
        }
        // above the range's last segment: held at its end (slope 0), so inputs beyond the range saturate
        intercept[count] = Math.round(Math.scalb(scale * Math.pow(theta[count], power), RAW_BITS));
        int readShift = Math.max(0, Math.getExponent(Math.scalb(Math.max(top, 1e-300), fractionBits)) + 1 - COMPARE_BITS);
        // at the read scale; x &lt; theta 2^tau exactly when x &lt; ceil(theta 2^tau), for ring integers x
        long[] thresholds = new long[n * count];
        for (int e = 0; e < n; e++) {
            for (int i = 1; i <= count; i++) {
                thresholds[e * count + i - 1] = (long) Math.ceil(Math.scalb(theta[i], tau[e] + fractionBits - readShift));
            }
        }
        // u_e = x_e / 2^tau_e at U_BITS: x_e 2^(tauMax - tau_e) divided by one power of two, on the way into the
        // products (the local truncation has no round to save)
        int uShift = fractionBits + tauMax - U_BITS;
        long[] lift = new long[n];
        for (int e = 0; e < n; e++) {
            lift[e] = 1L << (tauMax - tau[e] + Math.max(0, -uShift));
        }
        SharedTensor flat = x.reshape(n);
        boolean exact = p.fixedPoint().exactTruncation();
        SharedTensor lifted = flat.mulPublic(RingTensor.of(lift, n));
        SharedTensor values = exact || uShift <= 0 ? lifted : Truncation.truncate(p, lifted, uShift);
        DigitComparison.Pending q = comparison.startThresholds(p, flat, thresholds, count, readShift,
                exact ? Math.max(0, uShift) : 0);
        SharedTensor[] out = q.signs(p, Open.openModulo(p, comparison.bits(), q.masked())[0], null)
                .bitsAndTimes(p, values, steps(slope));
        SharedTensor y = out[0].mulPublic(RingTensor.of(steps(intercept), count)).sumLastAxis().addPublic(intercept[count])
                .add(out[1].sumLastAxis()); // slope[count] = 0: no b_N u term
        return new Powers(y.reshape(x.shape()), tau);
    }

    /** Shares of c (x_e / 2^tau_e)^q at {@link #RAW_BITS} fractional bits, and the public tau_e. */
    record Powers(SharedTensor value, int[] exponents) {
    }

    /** {intercept, slope} of the minimax line of c u^q on [a, b]: halfway between the chord and its parallel tangent. */
    private double[] minimaxLine(double a, double b, double c) {
        double fa = c * Math.pow(a, power);
        double fb = c * Math.pow(b, power);
        double slope = (fb - fa) / (b - a);
        double touch = Math.pow(slope / (c * power), 1 / (power - 1)); // f'(touch) = slope
        double chord = fa - slope * a;
        double tangent = c * Math.pow(touch, power) - slope * touch;
        return new double[] {(chord + tangent) / 2, slope};
    }

    /** value_(i-1) - value_i for i = 1..N. */
    private static long[] steps(long[] value) {
        long[] steps = new long[value.length - 1];
        for (int i = 1; i < value.length; i++) {
            steps[i - 1] = value[i - 1] - value[i];
        }
        return steps;
    }
}
