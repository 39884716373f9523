package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;

/**
 * Maximum over the last axis by a tournament: each level compares the elements of a row in pairs
 * (a, b), keeps max = a + [a - b &lt; 0] (b - a), and halves the row; an odd element passes to the
 * next level. Every level works on the whole tensor at once.
 *
 * <p>Cost for rows of n: ceil(log2 n) levels, each one comparison of n/2 elements per row plus one
 * product round: ceil(log2 n) (c + 1) rounds for a comparison of c rounds; about n - 1
 * comparisons and products per row in total. With {@link DigitComparison} (l = 32): 4 rounds per
 * level, (11.75 + 32) online bytes and (78 + 8) dealer bytes per comparison.
 */
public final class RowMax {
    private final Comparison cmp;

    public RowMax(Comparison cmp) {
        this.cmp = cmp;
    }

    /** Row maxima of {@code x} ({@code [..., n]}); the result has shape {@code [..., 1]}. */
    public SharedTensor apply(Party p, SharedTensor x) {
        int[] shape = x.shape();
        int n = shape[shape.length - 1];
        if (n == 0) {
            throw new IllegalArgumentException("max of empty rows");
        }
        int rows = x.size() / n;
        SharedTensor cur = x.reshape(rows, n);
        while (cur.shape()[1] > 1) {
            int len = cur.shape()[1];
            int half = len / 2;
            SharedTensor a = evenOrOdd(cur, half, 0);
            SharedTensor b = evenOrOdd(cur, half, 1);
            SharedTensor bBigger = cmp.lessThanZero(p, a.sub(b));
            SharedTensor max = Selection.select(p, bBigger, b, a);
            cur = (len & 1) == 1 ? SharedTensor.concat(1, max, cur.slice(1, len - 1, len)) : max;
        }
        int[] out = shape.clone();
        out[out.length - 1] = 1;
        return cur.reshape(out);
    }

    /** Elements 2i + parity, i &lt; half, of every row. */
    private static SharedTensor evenOrOdd(SharedTensor t, int half, int parity) {
        RingTensor s = t.share();
        int rows = s.dim(0);
        int len = s.dim(1);
        long[] in = s.data();
        long[] out = new long[rows * half];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < half; i++) {
                out[r * half + i] = in[r * len + 2 * i + parity];
            }
        }
        return new SharedTensor(t.partyId(), RingTensor.of(out, rows, half));
    }
}
