package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.TruncatedProducts;
import dev.secformer.core.Truncation;

/**
 * Secure exponential by the limit {@code exp(x) ~ (1 + x / 2^n)^(2^n)} (CrypTen's method),
 * elementwise on fixed-point shares. The baseline exponential of the exact softmax.
 *
 * <pre>
 *   y = 1 + x / 2^n            (x + 2^n) / 2^n, truncated on the way into the first square
 *   repeat n times: y = y^2    one Beaver square of the previous square truncated by f on the way in
 *   truncate by f              one round
 * </pre>
 *
 * <p>Cost per element, with the exact truncation: n + 1 rounds; online 16 (n + 1) bytes (each
 * party sends 8 bytes per round, both parties together 16); dealer 32 n + 16 bytes to party 1
 * (each square's truncation parts a0, msb(A), a0^2, msb(A) a0; the last truncation's a0, msb(A)).
 * With the default n = 8: 9 rounds, 144 bytes, 272 dealer bytes per element. With the local
 * truncation: n rounds, 16 n bytes, 8 n dealer bytes.
 *
 * <p>Accuracy at f = 16, n = 8. The limit itself has relative error about x^2 / 2^(n+1) (0.2 % at
 * x = -1, 3 % at x = -4). Fixed-point rounding adds a relative error of at most about 2^(n+1-f)
 * (0.8 %): the base 1 + x/2^n is rounded to 2^-f and the rounding is raised to the power 2^n, and
 * each squaring's truncation is amplified by the squarings after it. CrypTen at 16 bits has the
 * same error. Measured on a grid of 200 000 points of [-16, 2]: relative error up to 0.77 % on
 * [-1, 1] (up to 0.61 % from rounding alone). Absolute error on [-2^n, 0]: at most 8e-3 (near x = 0),
 * below 2e-5 for x &lt;= -11.
 *
 * <p>Domain: [-2^n, 2]. Below -2^n the base 1 + x/2^n is negative; the square still makes the
 * result small down to about -2^(n+1), but beyond that it explodes. Above 2 the squares grow
 * large enough for the local truncation's failure probability (|value| / 2^64 per element, see
 * {@link Truncation}) to matter. In {@link RangeCheck} mode the domain is enforced.
 */
public final class LimitExp {
    /** CrypTen's default number of squarings. */
    public static final int DEFAULT_SQUARINGS = 8;
    /** Largest input the domain allows. */
    public static final double MAX_INPUT = 2.0;

    private final int squarings;

    /** The exponential with {@value #DEFAULT_SQUARINGS} squarings. */
    public LimitExp() {
        this(DEFAULT_SQUARINGS);
    }

    /** @param squarings n: the number of squarings (rounds); the limit uses 2^n */
    public LimitExp(int squarings) {
        if (squarings < 1 || squarings > 16) {
            throw new IllegalArgumentException("squarings must be in [1, 16], got " + squarings);
        }
        this.squarings = squarings;
    }

    public int squarings() {
        return squarings;
    }

    /** Smallest input of the domain: -2^n. */
    public double minInput() {
        return -Math.scalb(1.0, squarings);
    }

    /** Communication rounds of one call with the exact truncation (one fewer with the local one). */
    public int rounds() {
        return squarings + 1;
    }

    /** Shares of exp(x) for fixed-point shares x in [-2^n, 2]. */
    public SharedTensor apply(Party p, SharedTensor x) {
        RangeCheck.require(p, x, minInput(), MAX_INPUT, "LimitExp");
        return compute(p, x);
    }

    /**
     * The same computation without the domain check, for callers that rely on the behaviour just
     * below -2^n (the result stays small down to about -2^(n+1)), such as the reciprocal's seed.
     */
    SharedTensor compute(Party p, SharedTensor x) {
        try (var ph = p.phase("exp")) {
            return Truncation.truncate(p, raw(p, x, 0), p.fixedPoint().fractionBits());
        }
    }

    /**
     * exp(x / 2^shift) at 2f fractional bits, before the last truncation (for a caller that
     * truncates it on the way into its next product): n rounds.
     */
    SharedTensor computeRaw(Party p, SharedTensor x, int shift) {
        try (var ph = p.phase("exp")) {
            return raw(p, x, shift);
        }
    }

    private SharedTensor raw(Party p, SharedTensor x, int shift) {
        int f = p.fixedPoint().fractionBits();
        int first = squarings + shift;
        SharedTensor raw = TruncatedProducts.square(p, x.addPublic(p.fixedPoint().one() << first), first);
        for (int i = 1; i < squarings; i++) {
            raw = TruncatedProducts.square(p, raw, f);
        }
        return raw;
    }
}
