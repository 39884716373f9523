package dev.secformer.protocols;

import java.util.Arrays;

import dev.secformer.core.Beaver;
import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.TruncatedProducts;

/**
 * MPCFormer's 2Quad, the softmax replacement SecFormer uses:
 * {@code out_i = (x_i + c)^2 / sum_j (x_j + c)^2} over the real keys of a row, c = 5; padded keys
 * get weight 0. Needs a model distilled with 2Quad in place of softmax.
 *
 * <pre>
 *   t   = x + c                                  local
 *   num = t^2 * keyMask                          one Beaver square (round 1); public 0/1 mask
 *   den = sum over the row of num                local, at 2f fractional bits
 *   r   = 2^e / den                              {@link SegmentedReciprocal} on the rows, 3 rounds
 *   out = num * r / 2^e                          one row-broadcast product, num and r truncated on
 *                                                the way in; one truncation
 * </pre>
 * Scores that come untruncated from their product ({@link #applyUntruncated}) are truncated on the
 * way into the square ({@link TruncatedProducts}). SecFormer divides by Goldschmidt's iteration
 * ({@link GoldschmidtDivision}, 9 steps at the default range, 13 rounds in all); a line per 1/32
 * octave of the denominator, selected by comparisons, is as accurate in 3.
 *
 * <p>The reciprocal's bound comes from the row's number n of real keys (public: the key mask is):
 * den lies in [n m_lo, n m_hi] when the mean term (x_j + c)^2 over the row's real keys lies in
 * [m_lo, m_hi], by default [4, 128] (scores' typical |x + 5| between 2 and 11; DESIGN's reference
 * denominators, 3e3-5e3 at n = 128 and 1.6e4 at n = 512, are mean terms of 23-39). That range
 * R = m_hi / m_lo = 32 costs 160 comparisons per row; a wider range costs 32 more per octave. A
 * row without real keys gives zeros. A row whose mean term is above m_hi (up to 16 m_hi) is divided
 * by n m_hi instead: bounded weights, summing to more than 1.
 *
 * <p>Accuracy (measured by {@code TwoQuadSoftmaxTest}): |out - exact 2Quad| &lt;= 2e-4 out + 2^-15
 * for rows inside the documented range, rows of any length 1..512 (the reciprocal's relative error
 * is at most 8e-5).
 *
 * <p>Cost for N scores in R rows, C comparisons per row (160 by default), with the exact
 * truncation: 6 rounds; online bytes (both parties) 16 N (square) + (3.75 C + 24) R (reciprocal)
 * + 16 N + 16 R (product: num and r opened once each, truncated on the way in) + 16 N (its
 * truncation) = 48 N + (3.75 C + 40) R; dealer bytes 72 N + (70 C + 56) R, and 24 N more when the
 * square truncates the scores on the way in. Per score of a 128-key row: 6 rounds, about 53 bytes
 * online, 160 dealer bytes. With the local truncation: 6 rounds too (the reciprocal, near 2^60,
 * and the product, up to 2^51, are truncated exactly).
 */
public final class TwoQuadSoftmax implements SoftmaxProtocol {
    public static final double DEFAULT_SHIFT = 5.0;
    public static final double DEFAULT_MIN_MEAN_TERM = 4.0;
    public static final double DEFAULT_MAX_MEAN_TERM = 128.0;

    private final double shift;
    private final double minMeanTerm;
    private final double maxMeanTerm;
    private final SegmentedReciprocal reciprocal;

    /** c = 5, mean term in [4, 128]. */
    public TwoQuadSoftmax() {
        this(DEFAULT_SHIFT, DEFAULT_MIN_MEAN_TERM, DEFAULT_MAX_MEAN_TERM);
    }

    /**
     * @param shift       c
     * @param minMeanTerm lower bound of the mean of (x_j + c)^2 over a row's real keys
     * @param maxMeanTerm upper bound of that mean
     */
    public TwoQuadSoftmax(double shift, double minMeanTerm, double maxMeanTerm) {
        if (!(minMeanTerm > 0 && maxMeanTerm >= minMeanTerm) || Double.isInfinite(maxMeanTerm)) {
            throw new IllegalArgumentException("need 0 < minMeanTerm <= maxMeanTerm < inf, got ["
                    + minMeanTerm + ", " + maxMeanTerm + "]");
        }
        this.shift = shift;
        this.minMeanTerm = minMeanTerm;
        this.maxMeanTerm = maxMeanTerm;
        this.reciprocal = new SegmentedReciprocal(maxMeanTerm / minMeanTerm);
    }

    /** The reciprocal of the row denominators. */
    public SegmentedReciprocal reciprocal() {
        return reciprocal;
    }

    /** Communication rounds of one call. */
    public int rounds() {
        return reciprocal.rounds() + 2;
    }

    @Override
    public SharedTensor apply(Party p, SharedTensor scores, RingTensor keyMask) {
        return applyUntruncated(p, scores, 0, keyMask);
    }

    @Override
    public SharedTensor applyUntruncated(Party p, SharedTensor scores, int bits, RingTensor keyMask) {
        if (!Arrays.equals(scores.shape(), keyMask.shape())) {
            throw new IllegalArgumentException("2Quad: key mask shape " + Arrays.toString(keyMask.shape())
                    + " differs from scores " + Arrays.toString(scores.shape()));
        }
        int[] shape = scores.shape();
        int cols = shape[shape.length - 1];
        int rows = scores.size() / cols;
        long[] mask = keyMask.data();
        double[] upper = new double[rows];
        for (int r = 0; r < rows; r++) {
            int real = 0;
            for (int j = r * cols; j < (r + 1) * cols; j++) {
                if (mask[j] != 0 && mask[j] != 1) {
                    throw new IllegalArgumentException("2Quad: key mask element " + j + " is " + mask[j] + ", not 0 or 1");
                }
                real += (int) mask[j];
            }
            upper[r] = real * maxMeanTerm;
        }
        int f = p.fixedPoint().fractionBits();
        try (var ph = p.phase("2quad")) {
            // t = x + c, squared; x (raw at f + bits) truncated on the way in
            SharedTensor t = scores.addPublic(Math.round(Math.scalb(shift, f + bits)));
            SharedTensor square = (bits == 0 ? Beaver.square(p, t) : TruncatedProducts.square(p, t, bits)).mulPublic(keyMask);
            // the denominator from the squares at 2f bits (bounds 2^f larger, scale f smaller)
            double[] rawUpper = Arrays.stream(upper).map(u -> Math.scalb(u, f)).toArray();
            SegmentedPower.Powers v = reciprocal.raw(p, square.sumLastAxis(), rawUpper, "TwoQuadSoftmax",
                    "row denominator (sum of (x + c)^2 over real keys at 2f fractional bits, mean term range ["
                            + minMeanTerm + ", " + maxMeanTerm + "])");
            // out = (t^2 / 2^f) (v / 2^(60 - b)) / 2^(b + tau - f): the numerators and the reciprocal (2^b / u,
            // per row) truncated on the way into their product, which stays below 2^(f + b + tau) <= 2^60
            int b = reciprocal.reciprocalBits();
            ProductBatch batch = new ProductBatch(p);
            int i = TruncatedProducts.mulExact(batch, square, f,
                    TruncatedProducts.Operand.perRow(v.value(), SegmentedPower.RAW_BITS - b));
            SharedTensor product = batch.run()[i];
            int[] scale = v.exponents();
            for (int r = 0; r < rows; r++) {
                scale[r] += b - f;
            }
            return Rescaling.truncate(p, product, scale, true);
        }
    }
}
