package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.TruncatedProducts;
import dev.secformer.core.Truncation;

/**
 * SecFormer's LayerNorm: {@code gamma * (x - mean) / sqrt(var) + beta} over the last axis (length
 * d), with the inverse square root by secure comparisons and a line per segment
 * ({@link InverseSqrt}); gamma and beta
 * are secret-shared weights of shape [d], broadcast over the rows.
 *
 * <pre>
 *   c  = d x - sum_j x_j = d (x - mean)          local and exact (LayerNorm ignores the factor d)
 *   round 1:  S = sum_j (c_j / 2^s')^2           Beaver squares of c truncated on the way in, summed raw
 *             g = gamma * c                      column-broadcast Beaver product (same round)
 *   r  = 1 / sqrt(S + eps d)                     {@link InverseSqrt} on the raw sum (3 rounds)
 *   2 rounds:  out = g * r * sqrt(d) + beta      row-broadcast products of g and r, both truncated on
 *                                                the way in; truncation of the product times a public
 *                                                constant
 * </pre>
 *
 * <p>Fixed point. The variance is never formed at f bits: S keeps 2(f - s) fractional bits, so
 * small variances stay precise, and 1/sqrt(var) = sqrt(d) / sqrt(S). c is read at L = floor(log2 d)
 * more fractional bits than x, i.e. as kappa (x - mean) with kappa = d / 2^L in [1, 2), which
 * scales S and its range by kappa^2 and cancels in g r. The pre-scaling s (0..8 bits, s' = s + L)
 * is the largest that keeps the sum's relative rounding error below about 4e-4 at the smallest
 * variance (s = 5 for d = 768 and var &gt;= 0.01); it keeps the squares of large deviations small.
 * g keeps 20 fractional bits, and r is split as hi 2^t + lo for the last product (both parts share
 * g's opening), because small-variance rows need g's low bits and large-variance rows r's, and a
 * single product times the constant would exceed the 2^62 that a truncation accepts.
 *
 * <p>Range: per-row variances in [vMin, vMax], default [0.01, 1000] (R = 1e5, the widest
 * {@link InverseSqrt} accepts). BERT's inputs span more than that (embedding LayerNorm rows down to
 * about 1e-3, some residual rows up to 1e4): give each LayerNorm the range its inputs have, for
 * example [1e-3, 100] for the embedding LayerNorm and [0.1, 1e4] for the encoder's. Accuracy
 * inside the range, with error measured as |out - exact| / (|gamma| + |gamma z|), z the exact
 * normalised value (so 1e-3 means a relative error of 1e-3 on the normalised output and its
 * gamma-scaled deviation), measured: the largest over many runs of the tests' BERT-like rows
 * with log-uniform variances ({@code LayerNormCase}'s generator, outliers included; 24 rows of
 * 384 or of 768 for the default range, 15,000 runs; 12 rows of 768 for the others, 4,000 runs
 * each; fresh shares and dealer randomness in every run): [0.01, 1e3]: 5.2e-4; [1e-3, 100]:
 * 6.1e-4; [0.1, 1e4]: 4.0e-4 (with the inverse square root by Goldschmidt's iteration it was
 * 7.8e-4, 8.9e-4 and 6.4e-4 over 15,500 runs). The error changes from run to run with the
 * truncations: the median of a run's largest is about 1.4e-4, one run in a hundred exceeds
 * 3.4e-4.
 *
 * <p>Epsilon: it is added to S as eps d at S's scale 2^(2(f - s)); BERT's 1e-12 rounds to 0 there
 * (it is far below 2^-16 too), so it is dropped, and said so rather than faked. A constant row
 * (var = 0) still gives exactly beta, as in floating point: its centred values are exact zeros
 * and the inverse square root's bounded junk (1.5^k) multiplies them. Variances in (0, vMin) are
 * outside the range (the output is too small); check mode ({@link RangeCheck}) reports them.
 *
 * <p>Cost for R rows of d, n = R d, N comparisons per row in the inverse square root (532 for the
 * default range), with the exact truncation: 6 rounds; online bytes (both parties) 16 n (squares)
 * + 16 (n + d) (gamma product) + R (3.75 N + 24) (inverse square root) + 16 n + 32 R (the
 * products of g with hi and r, g opened once per element and hi and r once per row) + 32 n (the
 * truncations of the two partial products): 80 n + 16 d + R (3.75 N + 56); dealer bytes about
 * 152 n + R (70 N + 72). Per element of a 768-wide row: about 80 online and 152 dealer bytes; the
 * inverse square root, per row, adds about 2.7 online and 48 dealer bytes per element. An input
 * straight from a product ({@link #applyUntruncated}, the residual sum after a linear layer) is
 * truncated on the way into round 1, with the gamma product elementwise: against truncating it
 * first and broadcasting gamma, one round and 16 d online bytes fewer, 8 dealer bytes more per
 * element. With the local truncation the same steps take 6 rounds too (the truncations of gamma
 * c, up to 2^51, of r, near 2^60, and of the partial products, up to 2^50, stay exact: the local
 * one would fail one element in 2^13 and one time in 16), and each locally truncated value fails
 * with probability |value| / 2^64 (the largest are a residual input at 2f bits, up to 2^42, the
 * squares' inputs c, about 2^34,
 * and the row sum S, at most kappa^2 d vMax 2^(2(f - s)), 2^45 for the defaults).
 */
public final class SecureLayerNorm implements LayerNormProtocol {
    public static final double DEFAULT_MIN_VARIANCE = 0.01;
    public static final double DEFAULT_MAX_VARIANCE = 1000;
    /** BERT's epsilon. */
    public static final double BERT_EPSILON = 1e-12;
    /** Target relative rounding error of the sum of squares at the smallest variance. */
    private static final double SUM_PRECISION = 4e-4;
    private static final int MAX_PRESCALE = 8;
    /** Fractional bits kept in gamma * c before the last product. */
    private static final int GAMMA_PRODUCT_BITS = 20;
    /** log2 of the largest |c| / sqrt(var) expected (5): balances the two partial products of the split. */
    private static final double SPLIT_OFFSET = 2.3;
    /** Fractional bits of the public constant sqrt(d) (or sqrt(2d)). */
    private static final int CONSTANT_BITS = 8;

    private final double minVariance;
    private final double maxVariance;
    private final double epsilon;
    private final InverseSqrt inverseSqrt;

    /** Variances in [0.01, 1000], BERT's epsilon. */
    public SecureLayerNorm() {
        this(DEFAULT_MIN_VARIANCE, DEFAULT_MAX_VARIANCE, BERT_EPSILON);
    }

    public SecureLayerNorm(double minVariance, double maxVariance, double epsilon) {
        if (!(minVariance > 0 && maxVariance >= minVariance) || Double.isInfinite(maxVariance)) {
            throw new IllegalArgumentException("need 0 < minVariance <= maxVariance < inf, got ["
                    + minVariance + ", " + maxVariance + "]");
        }
        if (!(epsilon >= 0)) {
            throw new IllegalArgumentException("epsilon must be >= 0, got " + epsilon);
        }
        this.minVariance = minVariance;
        this.maxVariance = maxVariance;
        this.epsilon = epsilon;
        this.inverseSqrt = new InverseSqrt(maxVariance / minVariance);
    }

    /** Communication rounds of one call with the exact truncation. */
    public int rounds() {
        return inverseSqrt.rounds() + 3;
    }

    public InverseSqrt inverseSqrt() {
        return inverseSqrt;
    }

    /**
     * gamma c times the row's 1/sqrt(S) value r times the public {@code constant}, divided by
     * 2^shift, at f bits. r comes with {@link InverseSqrt.Result#excessBits} bits beyond its
     * accuracy, and is used as hi 2^t + lo so that neither partial product is large: gamma c needs
     * its 20 bits for small-variance rows (where r is large) and r its bits for large-variance rows
     * (where gamma c is large). Two rounds: gamma c truncated on the way into its products with
     * hi and with r, both truncated on the way in and opened once per row
     * ({@link TruncatedProducts.Operand#perRow}), g lo = g r - 2^t g hi; then the truncations of the
     * two partial products times the constant. Exact even in the local mode: gamma c reaches 2^51,
     * r 2^60 and the partial products 2^50, which the local truncation would get wrong one element
     * in 2^13 or more often.
     */
    private static SharedTensor finalProduct(Party p, SharedTensor gcRaw, int gcShift, InverseSqrt.Result inv,
                                             long constant, int shift) {
        int f = p.fixedPoint().fractionBits();
        int drop = inv.excessBits();
        int rBits = inv.fractionBits() - drop;
        int t = Math.max(0, (int) Math.round((rBits - SPLIT_OFFSET) / 2.0));
        ProductBatch batch = new ProductBatch(p);
        int i = TruncatedProducts.mulExact(batch, gcRaw, gcShift, TruncatedProducts.Operand.perRow(inv.value(), t + drop),
                TruncatedProducts.Operand.perRow(inv.value(), drop));
        SharedTensor[] products = batch.run();
        SharedTensor gHi = products[i];
        SharedTensor gLo = products[i + 1].sub(gHi.mulPublic(1L << t)); // lo = r - 2^t hi, in [-2^t, 2^t + 1]
        ProductBatch rescale = new ProductBatch(p);
        int hs = Truncation.joinExact(rescale, gHi.mulPublic(constant), GAMMA_PRODUCT_BITS + rBits - t - f + shift);
        int ls = Truncation.joinExact(rescale, gLo.mulPublic(constant), GAMMA_PRODUCT_BITS + rBits - f + shift);
        SharedTensor[] scaled = rescale.run();
        return scaled[hs].add(scaled[ls]);
    }

    /** Pre-scaling of the centred values before squaring, for rows of d at f fractional bits. */
    int prescale(int d, int f) {
        double allowed = SUM_PRECISION * Math.scalb(1.0, f) * Math.sqrt(3.0 * d * minVariance);
        int s = (int) Math.floor(Math.log(allowed) / Math.log(2));
        return Math.max(0, Math.min(MAX_PRESCALE, s));
    }

    @Override
    public SharedTensor apply(Party p, SharedTensor x, SharedTensor gamma, SharedTensor beta) {
        return applyUntruncated(p, x, 0, gamma, beta);
    }

    /**
     * The same for an input at f + bits fractional bits: c is truncated by bits on the way into
     * round 1's products (the gamma product then elementwise, gamma repeated over the rows: the same
     * online bytes as a truncation and the column broadcast, one round fewer).
     */
    @Override
    public SharedTensor applyUntruncated(Party p, SharedTensor x, int bits, SharedTensor gamma, SharedTensor beta) {
        if (bits > 0 && !p.fixedPoint().exactTruncation()) { // free, and the column broadcast opens fewer bytes
            return LayerNormProtocol.super.applyUntruncated(p, x, bits, gamma, beta);
        }
        int d = LayerNormShapes.width(x, gamma, beta);
        int f = p.fixedPoint().fractionBits();
        int s = prescale(d, f);
        int sumBits = 2 * (f - s);
        // c = d x - sum_j x_j = d (x - mean), exact and local; LayerNorm does not change when its input
        // is scaled, so c is used as it is, read at L = floor(log2 d) more fractional bits: kappa c
        // for kappa = d / 2^L in [1, 2), which scales S and its bounds by kappa^2
        int l = 31 - Integer.numberOfLeadingZeros(d);
        double kappa2 = Math.scalb((double) d * d, -2 * l);
        try (var ph = p.phase("layernorm")) {
            SharedTensor c = x.mulPublic(d).sub(Rescaling.expandRows(x.sumLastAxis(), d, x.shape()));
            ProductBatch first = new ProductBatch(p);
            int sq = TruncatedProducts.square(first, c, s + l + bits);
            int g = bits == 0 ? BroadcastProduct.columnBroadcast(first, p, c, gamma)
                    : TruncatedProducts.mul(first, c, bits, TruncatedProducts.Operand.plain(LayerNormShapes.repeatRows(gamma, x.shape())));
            SharedTensor[] r1 = first.run();
            SharedTensor sum = r1[sq].sumLastAxis().addPublic(Math.round(Math.scalb(epsilon * d * kappa2, sumBits)));

            InverseSqrt.Result inv = inverseSqrt.applyScaled(p, sum, sumBits, d * maxVariance * kappa2, "SecureLayerNorm",
                    "row sum of squared deviations (d * variance, variance range [" + minVariance + ", " + maxVariance + "])",
                    true);

            // 1/sqrt(var) = sqrt(d) 2^(-E/2) r; for odd E, 2^(-E/2) = sqrt(2) 2^(-(E+1)/2)
            int e = inv.exponent();
            boolean odd = Math.floorMod(e, 2) == 1;
            long constant = Math.round(Math.sqrt(odd ? 2.0 * d : d) * (1 << CONSTANT_BITS));
            int shift = CONSTANT_BITS + Math.floorDiv(e + 1, 2);
            return finalProduct(p, r1[g], 2 * f - GAMMA_PRODUCT_BITS + l, inv, constant, shift).add(beta);
        }
    }
}
