package dev.secformer.core;

/**
 * A {@code k x n} ring matrix laid out once for the matrix-product kernel in use, as the right
 * operand of many products: a fixed weight's share and its public opening. Saves the per-product
 * copy of the operand (for BERT-base about 0.7 GB per party per inference) and keeps only this
 * form in memory.
 */
public final class PackedMatrix {
    private final int rows;
    private final int cols;
    private final long[] data;

    private PackedMatrix(int rows, int cols, long[] data) {
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    /** Packs a matrix ({@code [k, n]}). */
    public static PackedMatrix of(RingTensor b) {
        if (b.shape().length != 2) {
            throw new IllegalArgumentException("a packed operand must be a matrix, got shape "
                    + java.util.Arrays.toString(b.shape()));
        }
        return new PackedMatrix(b.dim(0), b.dim(1), RingMatmul.pack(b.data(), b.dim(0), b.dim(1)));
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /**
     * {@code x B} over x's last dimension: {@code [..., k]} times this {@code k x n} gives
     * {@code [..., n]}, mod 2^64.
     */
    public RingTensor multiplyFromLeft(RingTensor x) {
        int[] xs = x.shape();
        if (xs.length < 1 || xs[xs.length - 1] != rows) {
            throw new IllegalArgumentException("cannot multiply " + java.util.Arrays.toString(xs) + " by a packed "
                    + rows + " x " + cols + " matrix");
        }
        int m = rows == 0 ? 0 : x.size() / rows;
        int[] out = xs.clone();
        out[out.length - 1] = cols;
        long[] c = new long[m * cols];
        RingMatmul.multiplyPacked(x.data(), data, c, m, rows, cols);
        return RingTensor.of(c, out);
    }
}
