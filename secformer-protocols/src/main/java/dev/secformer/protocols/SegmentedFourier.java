package dev.secformer.protocols;

import dev.secformer.core.Open;
import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import java.util.function.DoubleUnaryOperator;

/**
 * An odd function that saturates at -1 and +1 (erf, tanh), approximated in three segments as
 * SecFormer approximates erf: -1 for x &lt; -B, a Fourier sine series
 * f(x) = sum_{j=1..7} beta_j sin(2 pi j x / P) for -B &lt;= x &lt; B, +1 for x &gt;= B, with the
 * period P = 16 (a power of two, for {@link SecureSine}'s perfect masking).
 *
 * <p>The coefficients are fitted here, at construction: ridge-regularised least squares
 * (lambda = 1e-6) of the function on 4001 equally spaced points of [-B, B]. The small ridge keeps
 * the coefficients below 1 in magnitude, so the fixed-point noise of the sine shares (2^-17 each)
 * is not amplified; the unregularised fit on a short segment is ill-conditioned (coefficients in
 * the hundreds).
 *
 * <p>Secure evaluation ({@link #start}, then {@link Evaluation#compare} and {@link Evaluation#select}):
 * the segment bits come from one {@link DigitComparison} call comparing x with -B and B under one
 * mask per element ({@link DigitComparison#startThresholds}: lower = [x &lt; -B], below = [x &lt; B],
 * one opening of x + r for both), the series from one {@link SecureSine} opening
 * sent in the comparison's first round. A caller never needs the bits themselves: it chooses
 * values vLower and vBelow so that its result is a known term plus lower vLower + below vBelow,
 * which the comparison delivers in its conversion round ({@link DigitComparison.Signs#times}).
 * A product of the caller (GeLU's x times the series) rides in the comparison's digit round.
 * Rounds: those of the comparison (5 at l = 32).
 */
final class SegmentedFourier {
    static final int PERIOD_LOG2 = 4;
    static final int TERMS = 7;
    private static final double RIDGE = 1e-6;
    private static final int GRID = 4001;

    private final double breakpoint;
    private final double[] beta;
    private final SecureSine sine;

    SegmentedFourier(DoubleUnaryOperator function, double breakpoint) {
        if (!(breakpoint > 0 && breakpoint < Math.scalb(1.0, PERIOD_LOG2 - 1))) {
            throw new IllegalArgumentException("breakpoint must be in (0, P/2) = (0, 8), got " + breakpoint);
        }
        this.breakpoint = breakpoint;
        this.beta = fit(function, breakpoint);
        int[] k = new int[TERMS];
        for (int j = 0; j < TERMS; j++) {
            k[j] = j + 1;
        }
        this.sine = new SecureSine(PERIOD_LOG2, k);
    }

    double breakpoint() {
        return breakpoint;
    }

    double[] coefficients() {
        return beta.clone();
    }

    /** The approximation in double precision (the float reference model uses this). */
    double reference(double x) {
        if (x < -breakpoint) {
            return -1;
        }
        if (x >= breakpoint) {
            return 1;
        }
        double s = 0;
        for (int j = 0; j < TERMS; j++) {
            s += beta[j] * Math.sin(2 * Math.PI * (j + 1) * x / Math.scalb(1.0, PERIOD_LOG2));
        }
        return s;
    }

    /**
     * Starts a secure evaluation (1 round): draws the comparisons of x + B and x - B (with material
     * to multiply their bits by values) and the sine, and opens both masked values in one exchange.
     */
    Evaluation start(Party p, DigitComparison cmp, SharedTensor x) {
        return start(p, cmp, x, 0, 0);
    }

    /**
     * The same for x at f + {@code inputShift} fractional bits, not truncated (the comparisons and the
     * sine read its high bits: {@link DigitComparison#startThresholds},
     * {@link SecureSine#startSeriesUntruncated}), and values that {@link Evaluation#select} receives
     * before their truncation by {@code valueShift}.
     */
    Evaluation start(Party p, DigitComparison cmp, SharedTensor x, int inputShift, int valueShift) {
        long b = p.fixedPoint().encode(breakpoint);
        int n = x.size();
        long[] thresholds = new long[2 * n]; // lower = [x < -B], below = [x < B], under one mask per element
        for (int e = 0; e < n; e++) {
            thresholds[2 * e] = -b;
            thresholds[2 * e + 1] = b;
        }
        DigitComparison.Pending c = cmp.startThresholds(p, x.reshape(n), thresholds, 2, inputShift, 1, valueShift);
        SecureSine.PendingSeries s = sine.startSeriesUntruncated(p, x, inputShift, beta);
        RingTensor[] opened = Open.openEach(p, new int[] {cmp.bits(), s.bits()}, c.masked(), s.masked());
        return new Evaluation(c, opened[0], s.finish(p, opened[1]), x.shape());
    }

    /**
     * An evaluation after its first round: the series f(x) is known (fixed point), the segment bits
     * lower = [x &lt; -B] and below = [x &lt; B] are not yet.
     */
    static final class Evaluation {
        private final DigitComparison.Pending comparison;
        private final RingTensor opened;
        private final SharedTensor series;
        private final int[] shape;
        private DigitComparison.Signs signs;

        private Evaluation(DigitComparison.Pending comparison, RingTensor opened, SharedTensor series, int[] shape) {
            this.comparison = comparison;
            this.opened = opened;
            this.series = series;
            this.shape = shape;
        }

        /** The series at 2f fractional bits, not yet truncated. */
        SharedTensor series() {
            return series;
        }

        /** The comparison's combining rounds; {@code rider}'s openings go out in the first (may be null). */
        void compare(Party p, ProductBatch.Round rider) {
            signs = comparison.signs(p, opened, rider);
        }

        /**
         * lower vLower + below vBelow, in one round (the comparison's last); the values divided by
         * 2^valueShift on the way in if the evaluation was started with one.
         */
        SharedTensor select(Party p, SharedTensor vLower, SharedTensor vBelow) {
            if (signs == null) {
                throw new IllegalStateException("compare before select");
            }
            long[] lower = vLower.share().data();
            long[] below = vBelow.share().data();
            long[] pairs = new long[2 * lower.length]; // the comparisons' order: each element's two in turn
            for (int e = 0; e < lower.length; e++) {
                pairs[2 * e] = lower[e];
                pairs[2 * e + 1] = below[e];
            }
            return signs.times(p, new SharedTensor(p.id(), RingTensor.of(pairs, lower.length, 2))).sumLastAxis().reshape(shape);
        }
    }

    private static double[] fit(DoubleUnaryOperator function, double b) {
        double period = Math.scalb(1.0, PERIOD_LOG2);
        double[][] normal = new double[TERMS][TERMS + 1];
        for (int i = 0; i < GRID; i++) {
            double x = -b + 2 * b * i / (GRID - 1);
            double y = function.applyAsDouble(x);
            double[] basis = new double[TERMS];
            for (int j = 0; j < TERMS; j++) {
                basis[j] = Math.sin(2 * Math.PI * (j + 1) * x / period);
            }
            for (int r = 0; r < TERMS; r++) {
                for (int c = 0; c < TERMS; c++) {
                    normal[r][c] += basis[r] * basis[c] / GRID;
                }
                normal[r][TERMS] += basis[r] * y / GRID;
            }
        }
        for (int r = 0; r < TERMS; r++) {
            normal[r][r] += RIDGE;
        }
        return solve(normal);
    }

    /** Gaussian elimination with partial pivoting on an augmented n x (n + 1) system. */
    private static double[] solve(double[][] a) {
        int n = a.length;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            for (int r = 0; r < n; r++) {
                if (r != col) {
                    double factor = a[r][col] / a[col][col];
                    for (int c = col; c <= n; c++) {
                        a[r][c] -= factor * a[col][c];
                    }
                }
            }
        }
        double[] x = new double[n];
        for (int r = 0; r < n; r++) {
            x[r] = a[r][n] / a[r][r];
        }
        return x;
    }
}
