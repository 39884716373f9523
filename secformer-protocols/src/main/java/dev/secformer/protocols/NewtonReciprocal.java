package dev.secformer.protocols;

import dev.secformer.core.FixedPoint;
import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.TruncatedProducts;
import dev.secformer.core.Truncation;

/**
 * Secure reciprocal by Newton-Raphson as CrypTen computes it (its "NR" method), elementwise on
 * fixed-point shares; the baseline reciprocal of the exact softmax and of the CrypTen LayerNorm.
 *
 * <pre>
 *   y = 3 exp(0.5 - x) + 0.003           CrypTen's seed, exp by {@link LimitExp} (at 2f bits)
 *   repeat k times:                      (k = 10, CrypTen's default)
 *     t = x * y                          one Beaver product, y truncated by f on the way in
 *     y = y * (2 - t)                    one Beaver product, 2 - t truncated by f on the way in
 *   truncate y by f                      one round
 * </pre>
 *
 * <p>The iteration is y = y (2 - x y). CrypTen evaluates it as 2y - y^2 x; here x y is formed
 * first because at f = 16 the square y^2 of a small y (1/x for x &gt; 20) keeps too few
 * significant bits: CrypTen's order loses 1 % to 4 % at x = 50..100, this order stays within one
 * unit in the last place.
 *
 * <p>Cost per element (k iterations, exp with n squarings), with the exact truncation (products
 * truncate on the way in, see {@link TruncatedProducts}): n + 2k + 1 rounds; online 16 n + 64 k
 * + 16 bytes (both parties); dealer 32 n + 64 k + 16 bytes to party 1. Defaults (n = 8, k = 10):
 * 29 rounds, 784 bytes, 912 dealer bytes per element.
 *
 * <p>Domain (defaults): [{@link #minInput()}, {@link #maxInput()}] = [0.0025, 480]. At the lower
 * end the seed 4.95 makes x y small and ten steps only just converge; at the upper end the
 * exponential's argument 0.5 - x leaves the limit's domain (the seed stays about 0.003 up to about
 * 500, then explodes), and the constant 0.003 alone would stop convergence at x = 2 / 0.003.
 * A softmax over more than 480 keys needs 9 squarings in the seed's exponential: the domain then
 * reaches 600 (30 rounds). Measured accuracy (by {@code NewtonReciprocalTest}): |y - 1/x| &lt;= 1e-4 / x + 2^-15 over the
 * domain, i.e. relative error &lt;= 1e-4 for x &lt;= 0.3 and an absolute error of about one unit in
 * the last place (2^-16) above, where 1/x itself has few significant bits at f = 16.
 */
public final class NewtonReciprocal {
    /** CrypTen's default number of Newton iterations. */
    public static final int DEFAULT_ITERATIONS = 10;
    /** The seed's value at x = 0 (3 e^0.5 + 0.003), which bounds convergence for small x. */
    private static final double SEED_AT_ZERO = 3 * Math.exp(0.5) + 0.003;
    /** Residual (1 - x y)^(2^k) accepted at the lower end of the domain, about e^-12. */
    private static final double LOWER_END_CONTRACTION = 12.0;

    private final int iterations;
    private final LimitExp exp;

    /** CrypTen's defaults: 10 iterations, exp with 8 squarings. */
    public NewtonReciprocal() {
        this(DEFAULT_ITERATIONS, new LimitExp());
    }

    public NewtonReciprocal(int iterations, LimitExp exp) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive, got " + iterations);
        }
        this.iterations = iterations;
        this.exp = exp;
    }

    /** Smallest input for which k iterations converge from the seed. */
    public double minInput() {
        return LOWER_END_CONTRACTION / (SEED_AT_ZERO * Math.scalb(1.0, iterations));
    }

    /**
     * Largest input: the seed must stay near 0.003, which needs 0.5 - x above about -2^(n+1)
     * (15/16 of it, for margin), and x * 0.003 must stay below 2 (600 leaves margin).
     */
    public double maxInput() {
        return Math.min(Math.scalb(15.0, exp.squarings() - 3), 600.0);
    }

    /** Communication rounds of one call. */
    public int rounds() {
        return exp.rounds() + 2 * iterations;
    }

    /** Shares of 1/x for fixed-point shares x in [minInput(), maxInput()]. */
    public SharedTensor apply(Party p, SharedTensor x) {
        RangeCheck.require(p, x, minInput(), maxInput(), "NewtonReciprocal");
        return compute(p, x);
    }

    /** {@link #apply} without the check-mode domain test (for callers that check their own inputs). */
    SharedTensor compute(Party p, SharedTensor x) {
        FixedPoint fp = p.fixedPoint();
        int f = fp.fractionBits();
        try (var ph = p.phase("reciprocal")) {
            SharedTensor rawY = exp.computeRaw(p, x.rsubPublic(fp.encode(0.5)), 0).mulPublic(3)
                    .addPublic(Math.round(Math.scalb(0.003, 2 * f)));
            long two = 2L << (2 * f);
            for (int i = 0; i < iterations; i++) {
                ProductBatch b = new ProductBatch(p);
                int xy = TruncatedProducts.mul(b, rawY, f, TruncatedProducts.Operand.plain(x));
                SharedTensor[] r = b.run();
                SharedTensor y = r[xy + 1];
                rawY = TruncatedProducts.mul(p, r[xy].rsubPublic(two), f, y);
            }
            return Truncation.truncate(p, rawY, f);
        }
    }
}
