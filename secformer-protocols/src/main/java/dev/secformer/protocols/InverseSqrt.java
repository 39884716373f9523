package dev.secformer.protocols;

import java.util.Arrays;

import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.SharedTensor;

/**
 * Secure inverse square root by Goldschmidt's iteration (SecFormer's LayerNorm), elementwise, for
 * inputs with a public upper bound U and dynamic range R: every input x must lie in [U/R, U].
 *
 * <pre>
 *   deflate:  x' = x / 2^E            E = ceil(log2(U / 1.9)), so x' in [0.95/R, 1.9]   (local shift)
 *   y = 1
 *   repeat k times:
 *     m  = (3 - x') / 2               local
 *     y  = y * m                      Beaver product (free in step 1: y = m)
 *     x' = (x' * m) * m               two Beaver products in sequence (not in step k)
 *   then y = 1/sqrt(x') = 2^(E/2) / sqrt(x)
 * </pre>
 *
 * <p>Each step maps x' by g(x) = x (3 - x)^2 / 4, which converges to 1 for x in (0, 3): quadratically
 * near 1, by a factor 2.25 per step from below. k is the smallest count for which the exact
 * iteration brings every x' of [0.95/R, 1.9] within 1e-4 of 1/sqrt(x') ({@link #iterationsFor}):
 * 5 steps for R = 1, 8 for R = 40, 11 for 400, 15 for 1e4, 18 for 1e5.
 *
 * <p>Rounds: a step other than the last takes {x' m, y m} then (x' m) m, 2 rounds; the last takes
 * y m only: 2k - 1 rounds. Online bytes per element (both parties): 96 (k - 1) (three Beaver
 * products of 32 bytes per step, counting step 1's two and step k's one); dealer: 3 (k - 1)
 * elements.
 *
 * <p>Fixed point: x' and y are multiplied by the same shared m, so m may be coarse: 10 fractional
 * bits, except in the last step (14 bits), where it is the final correction of y. x' is kept at 27
 * fractional bits (x' m and x' m^2 stay below 2^37.2 as ring values); y at
 * b = min(16, 23 - ceil(log2(1.5 sqrt(R / 0.95)))) bits so that y m stays below 2^37: the local
 * truncation fails with probability at most 2^-26.8 per element and product, plus |x| / 2^64 for
 * the deflation of the input. The 27 bits of x' limit the accuracy at the low end of the range,
 * about 2^-28 / x' relative. Largest relative error measured over 15 000 inputs per range (bounds
 * 1 to 1e4, inputs at 24 fractional bits): R = 1: 8e-5; R = 40: 9e-5; R = 1e3: 1.1e-4;
 * R = 1e4: 1.4e-4; R = 1e5: 4.6e-4 (at the low end). R = 1e5 is the widest range accepted.
 *
 * <p>Input 0 (a constant LayerNorm row, BERT's eps 1e-12 being 0 at this precision) is outside the
 * range: the iteration then multiplies y by 1.5 per step and returns 1.5^k, a bounded value that
 * {@link SecureLayerNorm} multiplies by an exact 0.
 */
public final class InverseSqrt {
    /** Convergence target |1 - y sqrt(x')| of the exact iteration. */
    public static final double DEFAULT_TOLERANCE = 1e-4;
    /** Widest dynamic range accepted. */
    public static final double MAX_RATIO = 1e5;
    static final double TOP = 1.9;
    static final int X_BITS = 27;
    static final int FACTOR_BITS = 10;
    static final int LAST_FACTOR_BITS = 14;
    private static final int MAGNITUDE_BITS = 37;

    /** Shares of 1/sqrt(x) as {@code decode(value, fractionBits) * factor}; factor = 2^(-E/2). */
    public record Result(SharedTensor value, int fractionBits, int exponent) {
        /** The public factor 2^(-E/2) that scales the value. */
        public double factor() {
            return Math.pow(2, -exponent / 2.0);
        }
    }

    private final double ratio;
    private final int iterations;
    private final int resultBits;

    /** Inputs in [U/ratio, U] for their bound U, ratio &lt;= {@link #MAX_RATIO}. */
    public InverseSqrt(double ratio) {
        if (!(ratio >= 1 && ratio <= MAX_RATIO)) {
            throw new IllegalArgumentException("dynamic range must be in [1, " + MAX_RATIO + "], got " + ratio
                    + " (wider ranges lose the 1e-3 accuracy at 27 fractional bits; split them)");
        }
        double lowest = TOP / 2 / ratio;
        this.ratio = ratio;
        this.iterations = iterationsFor(lowest, TOP, DEFAULT_TOLERANCE);
        int growth = (int) Math.ceil(Math.log(1.5 / Math.sqrt(lowest)) / Math.log(2));
        this.resultBits = Math.min(16, MAGNITUDE_BITS - LAST_FACTOR_BITS - growth);
    }

    /**
     * Steps of the exact iteration that bring every x' in [lo, hi] (0 &lt; lo &lt;= hi &lt; 3) within
     * {@code tolerance} of convergence: tracks the image interval of g, increasing on (0, 1] and
     * decreasing on [1, 3).
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

    public int iterations() {
        return iterations;
    }

    /** Fractional bits of the result's value. */
    public int resultBits() {
        return resultBits;
    }

    /** Communication rounds of one call. */
    public int rounds() {
        return iterations == 1 ? 0 : 2 * iterations - 1;
    }

    /** Deflation exponent E = ceil(log2(U / 1.9)). */
    static int exponent(double upperBound) {
        return (int) Math.ceil(Math.log(upperBound / TOP) / Math.log(2));
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
        return LocalScaling.truncate(r.value().mulPublic(constant),
                LocalScaling.uniform(1, r.fractionBits() + constantBits + half - f));
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
        int e = exponent(upperBound);
        try (var ph = p.phase("inv-sqrt")) {
            SharedTensor xd = LocalScaling.truncate(x, LocalScaling.uniform(1, fractionBits + e - X_BITS));
            long three = 3L << X_BITS;
            SharedTensor y = null;
            for (int k = 0; k < iterations; k++) {
                boolean last = k == iterations - 1;
                int mBits = last ? LAST_FACTOR_BITS : FACTOR_BITS;
                // m = (3 - x') / 2 at mBits: the halving is one more bit of the shift
                SharedTensor m = xd.rsubPublic(three).truncate(X_BITS - mBits + 1);
                ProductBatch first = new ProductBatch(p);
                int yIndex = -1;
                if (y == null) {
                    y = LocalScaling.truncate(m, LocalScaling.uniform(1, mBits - resultBits));
                } else {
                    yIndex = first.mul(y, m);
                }
                int xIndex = last ? -1 : first.mul(xd, m);
                if (first.size() == 0) {
                    continue;
                }
                SharedTensor[] r = first.run();
                if (yIndex >= 0) {
                    y = r[yIndex].truncate(mBits);
                }
                if (!last) {
                    SharedTensor xm = r[xIndex].truncate(mBits);
                    ProductBatch second = new ProductBatch(p);
                    int i = second.mul(xm, m);
                    xd = second.run()[i].truncate(mBits);
                }
            }
            return new Result(y, resultBits, e);
        }
    }
}
