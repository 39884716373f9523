package dev.secformer.protocols;

import java.util.Arrays;

import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.TruncatedProducts;
import dev.secformer.core.TruncatedProducts.Operand;
import dev.secformer.core.Truncation;

/**
 * Secure inverse square root, elementwise, for inputs with a public upper bound U and dynamic range
 * R: every input x must lie in [L, U], L = U/R. SecFormer's Goldschmidt iteration, started from a
 * per-element initial guess read off secure comparisons, so that it needs 2 steps instead of the
 * 5 to 18 that a start from a fixed point needs over R = 1 to 1e5.
 *
 * <pre>
 *   u  = x / 2^tau                 tau = floor(log2 L), so u in [1, 2R)           (a truncation)
 *   l_i = [u &lt; theta_i]            theta_i = (L / 2^tau) 2^(i/4), i = 1..N          (1 comparison batch)
 *   rho   = rho_N   - sum_i l_i (rho_i   - rho_{i-1})      rho_j = sqrt(sigma_j)      (local)
 *   x' = u sigma = u sigma_N - sum_i l_i u (sigma_i - sigma_{i-1})
 *                                  in [2^(-1/8), 2^(1/8)]: u's quarter-octave, centred; the
 *                                  products l_i u (...) in the comparison's last round
 *                                  ({@link DigitComparison.Signs#bitsAndTimes})
 *   y  = rho
 *   repeat k times (Goldschmidt):
 *     m  = (3 - x') / 2            local, truncated on the way into the products
 *     y  = y m                     Beaver product
 *     x' = (x' m) m                two Beaver products in sequence (not in step k)
 *   then y = rho / sqrt(x') = 1 / sqrt(u) = 2^(tau/2) / sqrt(x)
 * </pre>
 * Every truncation is exact: u and the comparison's input u_c in one round (none when both shifts
 * are multiplications), the others on the way into the next product ({@link TruncatedProducts});
 * y is returned before its last truncation, which the caller's own truncation absorbs.
 *
 * <p>Bucket j = the number of thresholds at or below u; sigma_j = 2^(-(j + 1/2)/4) / theta_0 maps
 * the bucket [theta_j, theta_{j+1}) onto [2^(-1/8), 2^(1/8)], and the bits l_i are monotone in i, so
 * the sums select sigma_j and rho_j. sigma_j is rounded to a few bits and rho_j is the square root
 * of the rounded value, so the identity rho^2 = sigma holds exactly whatever the rounding, and the
 * rounding only widens the range of x' slightly. k is the smallest count for which the exact
 * iteration brings every x' of that range within 1e-4 of 1/sqrt(x') ({@link #iterationsFor}): 2.
 *
 * <p>Rounds: one for u and u_c (when x's scale needs a truncation), the comparison's 3 (x'
 * included), then 2k - 1 (a step other than the last takes {x' m, y m} then (x' m) m; the last
 * y m only): 6 or 7 for k = 2, whatever R. Online bytes per element (both parties): N comparisons
 * of {@link DigitComparison} (about 11.8 bytes each; N = 4 log2 R rounded up, minus 1: 66 for
 * R = 1e5) + 16 (u - m, opened once for all N products l_i u (...)) + 80 k - 48 (the Goldschmidt
 * products: m, y and x' opened once per step, 8 bytes each per party, and x' m and m for the
 * second product) + 16 per truncation of u and u_c. Dealer material per element: N x 86 bytes for
 * the comparisons + 16 per truncation of u and u_c + for the products 16 per opened m, 16 per
 * plain partner and 48 per truncated one: 176 bytes for k = 2. In LayerNorm the input is one value
 * per row, so this is per row, not per element of the activation.
 *
 * <p>Fixed point: u keeps 14 fractional bits (its rounding limits the relative accuracy at the low
 * end of the range to about 2^-15), sigma_j 7 significant bits, rho_j and y 24 fractional bits (y is
 * at most 1), m 10 bits (14 in the last step), x' 27 bits. The largest ring values before a
 * truncation are u sigma (about 2^(22 + log2 R), 2^38.6 for R = 1e5) and y m (2^38): exact
 * truncations, or with the local truncation a failure probability below 2^-25 per element. Largest relative error measured over 5 000
 * log-spaced inputs per range R (1, 40, 1e3, 1e4, 1e5) and bound (1, 100, 1e4), inputs at 24
 * fractional bits: 6.8e-5 to 8.4e-5.
 *
 * <p>Input 0 (a constant LayerNorm row, BERT's eps 1e-12 being 0 at this precision) is outside the
 * range: it lands in bucket 0, x' = 0, and the iteration multiplies y by 1.5 per step, a bounded
 * value that {@link SecureLayerNorm} multiplies by an exact 0. Other inputs outside [L, U] give
 * wrong results; check mode ({@link BoundsCheck}) reports them.
 */
public final class InverseSqrt {
    /** Convergence target |1 - y sqrt(x')| of the exact iteration. */
    public static final double DEFAULT_TOLERANCE = 1e-4;
    /** Widest dynamic range accepted. */
    public static final double MAX_RATIO = 1e5;
    /** Thresholds per octave of u. */
    static final int STEPS_PER_OCTAVE = 4;
    static final int X_BITS = 27;
    static final int FACTOR_BITS = 10;
    /** Fractional bits of the last step's factor, by which the returned y is not yet truncated. */
    static final int LAST_FACTOR_BITS = 14;
    /** Fractional bits of u = x / 2^tau. */
    static final int U_BITS = 14;
    /** Significant bits kept of the smallest sigma_j. */
    static final int SIGMA_PRECISION = 7;
    /** Fractional bits of rho and y. */
    static final int Y_BITS = 24;
    /** Largest ring magnitude (bits) of the comparison's input, inside {@link DigitComparison}'s 2^31. */
    private static final int COMPARE_BITS = 29;
    /**
     * Relative widening of x's range: the rounding of u before the comparison (below 2^-11 at the
     * lowest threshold) and of sigma_j (2^-(SIGMA_PRECISION + 1)).
     */
    private static final double SLACK = 1e-3 + Math.scalb(1.0, -(SIGMA_PRECISION + 1));
    /** Goldschmidt steps from x' in the centred quarter-octave, widened by the slack. */
    static final int ITERATIONS = iterationsFor(Math.pow(2, -0.5 / STEPS_PER_OCTAVE) * (1 - SLACK),
            Math.pow(2, 0.5 / STEPS_PER_OCTAVE) * (1 + SLACK), DEFAULT_TOLERANCE);

    /** Shares of 1/sqrt(x) as {@code decode(value, fractionBits) * factor}; factor = 2^(-E/2). */
    public record Result(SharedTensor value, int fractionBits, int exponent) {
        /** The public factor 2^(-E/2) that scales the value. */
        public double factor() {
            return Math.pow(2, -exponent / 2.0);
        }
    }

    private final double ratio;
    private final DigitComparison comparison = new DigitComparison();

    /** Inputs in [U/ratio, U] for their bound U, ratio &lt;= {@link #MAX_RATIO}. */
    public InverseSqrt(double ratio) {
        if (!(ratio >= 1 && ratio <= MAX_RATIO)) {
            throw new IllegalArgumentException("dynamic range must be in [1, " + MAX_RATIO + "], got " + ratio
                    + " (wider ranges lose the accuracy of the fixed-point formats; split them)");
        }
        this.ratio = ratio;
    }

    /**
     * Steps of the exact iteration that bring every x' in [lo, hi] (0 &lt; lo &lt;= hi &lt; 3) within
     * {@code tolerance} of convergence: tracks the image interval of g(x) = x (3 - x)^2 / 4, which
     * maps x' to x' m^2, increasing on (0, 1] and decreasing on [1, 3).
     */
    public static int iterationsFor(double lo, double hi, double tolerance) {
        if (!(lo > 0 && lo <= hi && hi < 3)) {
            throw new IllegalArgumentException("need 0 < lo <= hi < 3, got [" + lo + ", " + hi + "]");
        }
        int k = 0;
        while (Math.max(Math.abs(1 - Math.sqrt(lo)), Math.abs(1 - Math.sqrt(hi))) > tolerance) {
            double a = g(lo);
            double b = g(hi);
            if (hi <= 1) {
                lo = a;
                hi = b;
            } else if (lo >= 1) {
                lo = b;
                hi = a;
            } else {
                lo = Math.min(a, b);
                hi = 1;
            }
            k++;
            if (k > 64) {
                throw new IllegalStateException("no convergence for [" + lo + ", " + hi + "]");
            }
        }
        return Math.max(k, 1);
    }

    private static double g(double x) {
        return x * (3 - x) * (3 - x) / 4;
    }

    public double ratio() {
        return ratio;
    }

    /** Goldschmidt steps after the initial guess. */
    public int iterations() {
        return ITERATIONS;
    }

    /** Communication rounds of one call. */
    public int rounds() {
        return comparison.rounds() + 2 * iterations() - 1;
    }

    /** Comparisons per input element. */
    public int comparisonsPerElement() {
        return new Buckets(1, ratio).count();
    }

    /**
     * Fixed-point shares of 1/sqrt(x), x in [U/R, U] with f fractional bits. The plain fixed-point
     * output loses relative precision when 1/sqrt(x) is small (2^-16 absolute);
     * {@link #applyScaled} keeps it.
     */
    public SharedTensor apply(Party p, SharedTensor x, double upperBound) {
        int f = p.fixedPoint().fractionBits();
        Result r = applyScaled(p, x, f, upperBound, "InverseSqrt", "input", false);
        // 2^(-E/2) = 2^-h, times sqrt(2) when E is odd; the constant keeps 14 bits
        int half = Math.floorDiv(r.exponent() + 1, 2);
        boolean odd = Math.floorMod(r.exponent(), 2) == 1;
        int constantBits = 14;
        long constant = odd ? Math.round(Math.sqrt(2) * (1 << constantBits)) : 1L << constantBits;
        return Rescaling.truncate(p, r.value().mulPublic(constant),
                Rescaling.uniform(1, r.fractionBits() + constantBits + half - f));
    }

    /**
     * Shares of 1/sqrt(x) in scaled form, for ring values x with {@code fractionBits} fractional
     * bits (for instance a sum of raw squares at 2f bits, which keeps small variances precise),
     * x in [U/R, U] (or exactly 0 if {@code allowZero}). {@code protocol} and {@code what} name the
     * caller and the value in check-mode messages.
     */
    Result applyScaled(Party p, SharedTensor x, int fractionBits, double upperBound, String protocol, String what,
                       boolean allowZero) {
        if (!(upperBound > 0) || Double.isInfinite(upperBound)) {
            throw new IllegalArgumentException("upper bound must be positive and finite, got " + upperBound);
        }
        int n = x.size();
        double[] lo = new double[n];
        double[] hi = new double[n];
        Arrays.fill(lo, upperBound / ratio);
        Arrays.fill(hi, upperBound);
        BoundsCheck.require(p, x, fractionBits, lo, hi, allowZero, protocol, what);
        Buckets b = new Buckets(upperBound / ratio, ratio);
        try (var ph = p.phase("inv-sqrt")) {
            int uShift = fractionBits + b.tau - U_BITS;
            SharedTensor[] scaled = Rescaling.shiftAll(p, new SharedTensor[] {x.reshape(n), x.reshape(n)},
                    new int[] {uShift, uShift + b.compareShift});
            SharedTensor u = scaled[0];
            SharedTensor[] lessAndTerms = comparison.signs(p, b.differences(scaled[1]), b.count())
                    .bitsAndTimes(p, u, Buckets.steps(b.sigma)); // l_i u (sigma_{i-1} - sigma_i)
            SharedTensor rho = b.select(lessAndTerms[0], b.rho);
            SharedTensor us = lessAndTerms[1].sumLastAxis().add(u.mulPublic(b.sigma[b.count()])); // u sigma
            SharedTensor y = goldschmidt(p, us, U_BITS + b.sigmaBits, rho, ITERATIONS);

            // y = 1/sqrt(u) lies in (2^-G, 1], here with LAST_FACTOR_BITS more bits than Y_BITS (its last
            // truncation is left to the caller's): read it as y 2^G with G fewer fractional bits
            return new Result(y.reshape(x.shape()), Y_BITS + LAST_FACTOR_BITS - b.headroom, b.tau + 2 * b.headroom);
        }
    }

    /**
     * k Goldschmidt steps from x' (raw, at {@code xBits} fractional bits) and y (at {@link #Y_BITS});
     * returns y at Y_BITS + LAST_FACTOR_BITS bits, not yet truncated. Each product truncates its
     * operands on the way in: a step other than the last takes {y m, x' m} (m opened once) then
     * (x' m) m; the last y m only.
     */
    private static SharedTensor goldschmidt(Party p, SharedTensor xRaw, int xBits, SharedTensor rho, int k) {
        Operand y = Operand.plain(rho);
        for (int step = 0; step < k; step++) {
            boolean last = step == k - 1;
            int mBits = last ? LAST_FACTOR_BITS : FACTOR_BITS;
            // m = (3 - x') / 2 at mBits: the halving is one more bit of the shift
            SharedTensor mRaw = xRaw.rsubPublic(3L << xBits);
            Operand x = xBits >= X_BITS ? Operand.truncated(xRaw, xBits - X_BITS) : Operand.plain(xRaw.mulPublic(1L << (X_BITS - xBits)));
            ProductBatch first = new ProductBatch(p);
            int i = last ? TruncatedProducts.mul(first, mRaw, xBits - mBits + 1, y)
                    : TruncatedProducts.mul(first, mRaw, xBits - mBits + 1, y, x);
            SharedTensor[] r = first.run();
            if (last) {
                return r[i];
            }
            y = Operand.truncated(r[i], mBits);
            SharedTensor m = r[i + 2];
            ProductBatch second = new ProductBatch(p);
            int j = TruncatedProducts.mul(second, r[i + 1], mBits, Operand.plain(m));
            xRaw = second.run()[j];
            xBits = X_BITS + mBits;
        }
        throw new IllegalArgumentException("at least one Goldschmidt step is needed, got " + k);
    }

    /**
     * The public side of the initial guess for inputs in [L, L R]: the thresholds theta_i of u and
     * the rounded sigma_j, rho_j of each bucket, as ring constants.
     */
    private static final class Buckets {
        final int tau;
        final int sigmaBits;
        final int headroom;
        /** Comparison input scale: u is truncated by this many bits before the comparison. */
        final int compareShift;
        final long[] thresholds;
        final long[] sigma;
        final long[] rho;

        Buckets(double lower, double ratio) {
            tau = Math.getExponent(lower);
            double theta0 = Math.scalb(lower, -tau);            // in [1, 2)
            double top = theta0 * ratio;                        // u's upper bound, below 2R
            int n = Math.max(1, (int) Math.ceil(STEPS_PER_OCTAVE * Math.log(ratio) / Math.log(2) - 1e-9) - 1);
            double smallest = Math.pow(2, -(n + 0.5) / STEPS_PER_OCTAVE) / theta0;
            sigmaBits = SIGMA_PRECISION - Math.getExponent(smallest);
            headroom = (int) Math.ceil(0.5 * Math.log(2 * ratio) / Math.log(2));
            compareShift = Math.max(0, U_BITS + Math.getExponent(top) + 1 - COMPARE_BITS);
            thresholds = new long[n];
            sigma = new long[n + 1];
            rho = new long[n + 1];
            for (int j = 0; j <= n; j++) {
                double s = Math.rint(Math.scalb(Math.pow(2, -(j + 0.5) / STEPS_PER_OCTAVE) / theta0, sigmaBits));
                sigma[j] = (long) s;
                rho[j] = Math.round(Math.scalb(Math.sqrt(Math.scalb(s, -sigmaBits)), Y_BITS));
                if (j > 0) {
                    double from = theta0 * Math.pow(2, (double) j / STEPS_PER_OCTAVE);
                    thresholds[j - 1] = Math.round(Math.scalb(from, U_BITS - compareShift));
                }
            }
        }

        int count() {
            return thresholds.length;
        }

        /** u_c - theta_i for every element and threshold, shape [n, N], from u_c = u / 2^compareShift (local). */
        SharedTensor differences(SharedTensor uc) {
            int n = uc.size();
            return Rescaling.expandRows(uc, count(), new int[] {n, count()})
                    .addPublic(RingTensor.of(negate(thresholds), count()));
        }

        /** value_N - sum_i l_i (value_i - value_{i-1}): the value of each element's bucket (local). */
        SharedTensor select(SharedTensor less, long[] value) {
            return less.mulPublic(RingTensor.of(steps(value), count())).sumLastAxis().addPublic(value[count()]);
        }

        /** value_{i-1} - value_i for i = 1..N. */
        static long[] steps(long[] value) {
            int n = value.length - 1;
            long[] steps = new long[n];
            for (int i = 1; i <= n; i++) {
                steps[i - 1] = value[i - 1] - value[i];
            }
            return steps;
        }

        private static long[] negate(long[] a) {
            long[] r = new long[a.length];
            for (int i = 0; i < a.length; i++) {
                r[i] = -a[i];
            }
            return r;
        }
    }
}
