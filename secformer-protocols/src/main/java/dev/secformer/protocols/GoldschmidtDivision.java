package dev.secformer.protocols;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.TruncatedProducts;
import dev.secformer.core.TruncatedProducts.Operand;
import dev.secformer.core.Truncation;

/**
 * Secure reciprocal and division by Goldschmidt's iteration (SecFormer's division), on
 * fixed-point shares, for divisors with a public upper bound U per element and a public
 * dynamic range R: every divisor y must lie in [U/R, U].
 *
 * <pre>
 *   deflate:  y' = y / 2^e           e = ceil(log2(U / 1.9)), so y' in [0.95/R, 1.9]
 *   x = 1
 *   repeat k times:                   (all products of one step in ONE round)
 *     m  = 2 - y'                     local, truncated to 13 bits on the way into the products
 *     x  = x * m                      Beaver product (free in step 1: x = m)
 *     y' = y' * m                     Beaver product (not needed in step k)
 *   then x = 1 / y' = 2^e / y         returned as a {@link ScaledReciprocal}: value x, scale 2^e
 *   division:  x / y = (x * value) / 2^(scale)     one broadcast Beaver product, one truncation
 * </pre>
 * Every truncation is exact and joins the next step's opening ({@link TruncatedProducts}): m is
 * opened once for both products of a step, x and y' are truncated on the way in. With one
 * deflation e for all divisors y itself is y' with e more fractional bits (no round); otherwise
 * y' is deflated first.
 *
 * <p>y' converges to 1 with error (1 - y'_0)^(2^j) after j steps; k is the smallest count with
 * q^(2^k) &lt;= 1e-4 where q = max(1 - 0.95/R, 0.9) is the largest |1 - y'_0|
 * ({@link #iterationsFor}: |1 - y'| = 0.999: 14, 0.99: 10, 0.9: 7, 0.5: 4 steps).
 *
 * <p>Fixed point. x and y' are multiplied by the same shared m, so any m works and m is kept at
 * 13 fractional bits; y' is kept at 22 fractional bits (y' m &lt;= 1, so the truncated ring values
 * stay below 2^35) and x at b = 22 - ceil(log2(R / 0.95)) bits, capped at 22 (x m &lt;= 1/y'_0, so the
 * values stay below 2^35 too): the local truncation's failure probability is then at most 2^-29
 * per element and product. The precision of y' limits the accuracy for the smallest y'_0 (about
 * 3 2^-22 / y'_0 relative) and that of x for the largest (2^-b per step). Measured largest
 * relative error of the reciprocal (28 000 divisors per range, bounds U from 1 to 1e5, a few runs):
 * R = 1: 1.2e-4 (k = 7); R = 100: 2.1e-4 (k = 10); R = 128: 3.4e-4 (k = 11); R = 1024 would give
 * 4e-3 and is refused (b &lt; 13). The error changes from run to run with the truncations, and more
 * runs find larger ones, so figures from a few runs understate it: measured over many runs of the
 * tests' divisors (1502 per bound U = 1, 3000, 16384, 65536; at R = 32 also 3000 2Quad
 * denominators), R = 32 (k = 9): 2.0e-4, the largest of 26 000 runs (median of a run's largest
 * 1.3e-4; a few runs had given 1.5e-4); R = 256 (k = 12): 9.4e-4, the largest of 6 000 runs (a few
 * runs had given 5.9e-4).
 *
 * <p>Cost per divisor (k &gt;= 3 steps, one positive deflation), with the exact truncation:
 * k + 1 rounds; online 48 k - 16 bytes (both parties: m, x and y' opened once per step, 8 bytes
 * each per party, and the last truncation); dealer 112 k - 112 bytes to party 1. A division adds
 * two rounds: the broadcast product of x with the reciprocal (16 bytes per element of x both
 * parties plus 16 per divisor, 8 dealer bytes per element of x, see {@link BroadcastProduct}) and
 * the truncation by the scale (16 bytes online, 16 dealer bytes per element of x). With the local
 * truncation: k rounds, 64 (k - 1) online bytes, 16 (k - 1) dealer bytes; a division two rounds more
 * (the last truncation stays exact, {@link ScaledReciprocal#divide}).
 */
public final class GoldschmidtDivision {
    /** Convergence target |1 - y'| after the last step, as in DESIGN's iteration table. */
    public static final double DEFAULT_TOLERANCE = 1e-4;
    /** Deflated divisors lie in (TOP / 2 / R, TOP]: strictly inside the convergence interval (0, 2). */
    static final double TOP = 1.9;
    /** Fractional bits of the deflated divisor y'. */
    static final int DIVISOR_BITS = 22;
    /** Fractional bits of the factor m. */
    static final int FACTOR_BITS = 13;
    /** log2 bound of the ring values truncated inside the iteration. */
    static final int ITERATION_MAGNITUDE_BITS = DIVISOR_BITS + FACTOR_BITS;
    /** Fewer fractional bits for x than this cost more than 1e-3 relative error (R above about 480). */
    private static final int MIN_RECIPROCAL_BITS = 13;

    private final double ratio;
    private final int iterations;
    private final int reciprocalBits;

    /** Divisors in [U/ratio, U] for their bound U; iterations for {@link #DEFAULT_TOLERANCE}. */
    public GoldschmidtDivision(double ratio) {
        this(ratio, DEFAULT_TOLERANCE);
    }

    public GoldschmidtDivision(double ratio, double tolerance) {
        if (!(ratio >= 1)) {
            throw new IllegalArgumentException("the divisors' dynamic range must be >= 1, got " + ratio);
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be in (0, 1), got " + tolerance);
        }
        double lowest = TOP / 2 / ratio;
        this.ratio = ratio;
        this.iterations = iterationsFor(Math.max(1 - lowest, TOP - 1), tolerance);
        int bits = ITERATION_MAGNITUDE_BITS - FACTOR_BITS - (int) Math.ceil(log2(1 / lowest));
        this.reciprocalBits = Math.min(DIVISOR_BITS, bits);
        if (reciprocalBits < MIN_RECIPROCAL_BITS) {
            throw new IllegalArgumentException("dynamic range " + ratio + " is too wide for fixed point: the reciprocal"
                    + " would keep " + reciprocalBits + " fractional bits; split the range");
        }
    }

    /** Smallest k with q^(2^k) &lt;= tolerance: Goldschmidt steps for deflated divisors with |1 - y'| &lt;= q. */
    public static int iterationsFor(double q, double tolerance) {
        if (!(q > 0 && q < 1)) {
            throw new IllegalArgumentException("|1 - y'| must be in (0, 1) for convergence, got " + q);
        }
        int k = 0;
        for (double err = q; err > tolerance; err *= err) {
            k++;
        }
        return Math.max(k, 1);
    }

    public double ratio() {
        return ratio;
    }

    /** Goldschmidt steps k. */
    public int iterations() {
        return iterations;
    }

    /**
     * Rounds of {@link #reciprocal} with the exact truncation: one per step and one for the last
     * truncation of x (a single step: one), and one more when the divisors' deflations differ.
     */
    public int rounds() {
        return iterations == 1 ? 1 : iterations + 1;
    }

    /** The deflation exponent for a bound U &gt; 0: ceil(log2(U / 1.9)); 0 for U = 0 (an empty row). */
    static int exponent(double upperBound) {
        if (upperBound == 0) {
            return 0;
        }
        return (int) Math.ceil(log2(upperBound / TOP));
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }

    /** {@link #reciprocal(Party, SharedTensor, double[])} with one bound for every divisor. */
    public ScaledReciprocal reciprocal(Party p, SharedTensor y, double upperBound) {
        double[] u = new double[y.size()];
        Arrays.fill(u, upperBound);
        return reciprocal(p, y, u);
    }

    /**
     * Shares of 2^e / y for fixed-point shares y, element i in [U_i/R, U_i]. A bound U_i = 0 marks
     * an element whose divisor is exactly 0 and whose reciprocal will only multiply zeros (an empty
     * softmax row): its value is then meaningless but bounded (2^k).
     */
    public ScaledReciprocal reciprocal(Party p, SharedTensor y, double[] upperBounds) {
        int n = y.size();
        if (upperBounds.length != n) {
            throw new IllegalArgumentException(upperBounds.length + " bounds for " + n + " divisors");
        }
        int f = p.fixedPoint().fractionBits();
        int[] e = new int[n];
        int[] deflate = new int[n];
        int[] scale = new int[n];
        double[] lo = new double[n];
        for (int i = 0; i < n; i++) {
            double u = upperBounds[i];
            if (!(u >= 0) || Double.isInfinite(u)) {
                throw new IllegalArgumentException("divisor bound " + i + " must be finite and >= 0, got " + u);
            }
            e[i] = exponent(u);
            deflate[i] = e[i] - (DIVISOR_BITS - f);
            scale[i] = reciprocalBits + e[i];
            lo[i] = u / ratio;
        }
        BoundsCheck.require(p, y, lo, upperBounds, "GoldschmidtDivision", "divisor");
        try (var ph = p.phase("goldschmidt")) {
            // d = y / 2^deflate at DIVISOR_BITS. With one positive deflation for all (the usual case)
            // y itself is d at DIVISOR_BITS + deflate bits, truncated on the way into the first step.
            boolean raw = Arrays.stream(deflate).allMatch(v -> v == deflate[0]) && deflate[0] >= 0;
            SharedTensor d = raw ? y : Rescaling.truncate(p, y, deflate);
            int dBits = DIVISOR_BITS + (raw ? deflate[0] : 0);
            Operand dOperand = dBits == DIVISOR_BITS ? Operand.plain(d) : Operand.truncated(d, dBits - DIVISOR_BITS);
            SharedTensor mRaw = d.rsubPublic(2L << dBits); // m = 2 - d, truncated to FACTOR_BITS on the way in
            int mBits = dBits - FACTOR_BITS;
            Operand x = null;
            for (int k = 0; k < iterations; k++) {
                boolean last = k == iterations - 1;
                List<Operand> partners = new ArrayList<>();
                if (x != null) {
                    partners.add(x);
                }
                if (!last) {
                    partners.add(dOperand);
                }
                ProductBatch batch = new ProductBatch(p);
                int i = TruncatedProducts.mul(batch, mRaw, mBits, partners.toArray(Operand[]::new));
                SharedTensor[] r = batch.run();
                int products = 0;
                if (x != null) {
                    x = Operand.truncated(r[i + products++], FACTOR_BITS);
                } else { // step 1: x = m, at reciprocalBits >= FACTOR_BITS
                    x = Operand.plain(r[i + partners.size()].mulPublic(1L << (reciprocalBits - FACTOR_BITS)));
                }
                if (!last) {
                    SharedTensor dm = r[i + products];
                    dOperand = Operand.truncated(dm, FACTOR_BITS);
                    mRaw = dm.rsubPublic(2L << (DIVISOR_BITS + FACTOR_BITS));
                    mBits = DIVISOR_BITS;
                }
            }
            SharedTensor value = x.bits() == 0 ? x.raw() : Truncation.truncate(p, x.raw(), x.bits());
            return new ScaledReciprocal(value, scale);
        }
    }
    /**
     * Fixed-point shares of x / y (same shapes), for divisors in [U/R, U] and |x / y| &lt;= Q.
     * k + 3 rounds with the exact truncation.
     */
    public SharedTensor divide(Party p, SharedTensor x, SharedTensor y, double upperBound, double quotientBound) {
        if (!Arrays.equals(x.shape(), y.shape())) {
            throw new IllegalArgumentException("divide: shapes " + Arrays.toString(x.shape()) + " and "
                    + Arrays.toString(y.shape()) + " differ");
        }
        try (var ph = p.phase("division")) {
            return reciprocal(p, y, upperBound).divide(p, x, quotientBound);
        }
    }
}
