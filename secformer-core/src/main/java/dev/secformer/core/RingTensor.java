package dev.secformer.core;

import java.util.Arrays;
import java.util.function.LongUnaryOperator;

/**
 * A dense tensor over the ring Z_2^64: a row-major {@code long[]} with a shape. Java's wrap-around
 * arithmetic is the ring arithmetic, so every operation here is exact mod 2^64.
 *
 * <p>Tensors are treated as values: operations return new tensors and never modify their inputs,
 * except the explicitly named in-place methods ({@code ...InPlace}). {@link #data()} exposes the
 * backing array for kernels and codecs; callers must not modify a tensor they did not create.
 *
 * <p>Broadcasting is limited to what layers need: in {@link #add}, {@link #sub} and {@link #mul}
 * the right operand may have a shape that is a suffix of the left one (a bias row added to every
 * row, for instance).
 */
public final class RingTensor {
    private final long[] data;
    private final int[] shape;

    private RingTensor(long[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /** Wraps {@code data} (not copied) with the given shape. */
    public static RingTensor of(long[] data, int... shape) {
        int[] s = shape.clone();
        long n = checkedSize(s);
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(s) + " needs " + n
                    + " elements, got " + data.length);
        }
        return new RingTensor(data, s);
    }

    /** A tensor of zeros. */
    public static RingTensor zeros(int... shape) {
        int[] s = shape.clone();
        return new RingTensor(new long[(int) checkedSize(s)], s);
    }

    /** A tensor whose every element is {@code value}. */
    public static RingTensor filled(long value, int... shape) {
        RingTensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    private static long checkedSize(int[] shape) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("a tensor needs at least one dimension");
        }
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is too large for one array");
            }
        }
        return n;
    }

    /** The backing array (row-major, not a copy). */
    public long[] data() {
        return data;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code axis}; negative axes count from the end. */
    public int dim(int axis) {
        return shape[axis(axis)];
    }

    public int size() {
        return data.length;
    }

    public boolean sameShape(RingTensor other) {
        return Arrays.equals(shape, other.shape);
    }

    private int axis(int axis) {
        int a = axis < 0 ? shape.length + axis : axis;
        if (a < 0 || a >= shape.length) {
            throw new IllegalArgumentException("axis " + axis + " out of range for shape " + Arrays.toString(shape));
        }
        return a;
    }

    public RingTensor copy() {
        return new RingTensor(data.clone(), shape);
    }

    // ---------------------------------------------------------------- elementwise

    /**
     * Length of the right operand's repeat period, checking its shape is a suffix of ours. The
     * elementwise operations walk the left operand in blocks of that period rather than indexing
     * the right one modulo it: a division per element kept the JIT from vectorizing the loop and
     * made add and sub a quarter of a party's online time.
     */
    private int broadcastPeriod(RingTensor other, String op) {
        int[] o = other.shape;
        boolean suffix = o.length <= shape.length;
        for (int i = 0; suffix && i < o.length; i++) {
            suffix = o[o.length - 1 - i] == shape[shape.length - 1 - i];
        }
        if (!suffix) {
            throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(shape) + " and "
                    + Arrays.toString(o) + " do not match (the right shape must equal or be a suffix of the left)");
        }
        return other.data.length;
    }

    public RingTensor add(RingTensor other) {
        int p = broadcastPeriod(other, "add");
        long[] a = data;
        long[] b = other.data;
        long[] r = new long[a.length];
        for (int base = 0; base < r.length; base += p) {
            for (int j = 0; j < p; j++) {
                r[base + j] = a[base + j] + b[j];
            }
        }
        return new RingTensor(r, shape);
    }

    public RingTensor sub(RingTensor other) {
        int p = broadcastPeriod(other, "sub");
        long[] a = data;
        long[] b = other.data;
        long[] r = new long[a.length];
        for (int base = 0; base < r.length; base += p) {
            for (int j = 0; j < p; j++) {
                r[base + j] = a[base + j] - b[j];
            }
        }
        return new RingTensor(r, shape);
    }

    /** Elementwise product mod 2^64 (no fixed-point rescaling). */
    public RingTensor mul(RingTensor other) {
        int p = broadcastPeriod(other, "mul");
        long[] a = data;
        long[] b = other.data;
        long[] r = new long[a.length];
        for (int base = 0; base < r.length; base += p) {
            for (int j = 0; j < p; j++) {
                r[base + j] = a[base + j] * b[j];
            }
        }
        return new RingTensor(r, shape);
    }

    public RingTensor neg() {
        long[] r = new long[data.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = -data[i];
        }
        return new RingTensor(r, shape);
    }

    public RingTensor mulScalar(long s) {
        long[] r = new long[data.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = data[i] * s;
        }
        return new RingTensor(r, shape);
    }

    public RingTensor addScalar(long s) {
        long[] r = new long[data.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = data[i] + s;
        }
        return new RingTensor(r, shape);
    }

    /** Arithmetic shift right of every element (signed division by 2^bits, rounding down). */
    public RingTensor shiftRight(int bits) {
        long[] r = new long[data.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = data[i] >> bits;
        }
        return new RingTensor(r, shape);
    }

    /** {@code -((-x) >> bits)} of every element: division by 2^bits rounding up (one pass for three). */
    public RingTensor shiftRightRoundingUp(int bits) {
        long[] r = new long[data.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = -(-data[i] >> bits);
        }
        return new RingTensor(r, shape);
    }

    public RingTensor map(LongUnaryOperator f) {
        long[] r = new long[data.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = f.applyAsLong(data[i]);
        }
        return new RingTensor(r, shape);
    }

    /** {@code this += other} elementwise (same shape); returns this. */
    public RingTensor addInPlace(RingTensor other) {
        requireSameShape(other, "addInPlace");
        for (int i = 0; i < data.length; i++) {
            data[i] += other.data[i];
        }
        return this;
    }

    private void requireSameShape(RingTensor other, String op) {
        if (!sameShape(other)) {
            throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(shape) + " and "
                    + Arrays.toString(other.shape) + " differ");
        }
    }

    // ---------------------------------------------------------------- shape

    public RingTensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: at most one -1 in " + Arrays.toString(newShape));
                }
                infer = i;
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0 && known > 0 && data.length % known == 0) {
            s[infer] = (int) (data.length / known);
        }
        if (checkedSize(s) != data.length) {
            throw new IllegalArgumentException("reshape: cannot view shape " + Arrays.toString(shape)
                    + " as " + Arrays.toString(newShape));
        }
        return new RingTensor(data, s);
    }

    /** Swaps the last two dimensions (batched transpose). */
    public RingTensor transpose() {
        if (shape.length < 2) {
            throw new IllegalArgumentException("transpose needs rank >= 2, shape " + Arrays.toString(shape));
        }
        int rows = shape[shape.length - 2];
        int cols = shape[shape.length - 1];
        int batch = data.length / Math.max(1, rows * cols);
        long[] r = new long[data.length];
        for (int b = 0; b < batch; b++) {
            int off = b * rows * cols;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    r[off + j * rows + i] = data[off + i * cols + j];
                }
            }
        }
        int[] s = shape.clone();
        s[s.length - 2] = cols;
        s[s.length - 1] = rows;
        return new RingTensor(r, s);
    }

    /** Elements {@code from <= i < to} along {@code axis}. */
    public RingTensor slice(int axis, int from, int to) {
        int a = axis(axis);
        if (from < 0 || to > shape[a] || from > to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") out of range for axis " + a
                    + " of shape " + Arrays.toString(shape));
        }
        int outer = 1;
        for (int i = 0; i < a; i++) {
            outer *= shape[i];
        }
        int inner = data.length / Math.max(1, outer * shape[a]);
        if (shape[a] == 0) {
            inner = 0;
        }
        int[] s = shape.clone();
        s[a] = to - from;
        long[] r = new long[(int) checkedSize(s)];
        int chunk = (to - from) * inner;
        for (int o = 0; o < outer; o++) {
            System.arraycopy(data, (o * shape[a] + from) * inner, r, o * chunk, chunk);
        }
        return new RingTensor(r, s);
    }

    /** Concatenates tensors along {@code axis}; all other dimensions must agree. */
    public static RingTensor concat(int axis, RingTensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat of nothing");
        }
        int[] s = parts[0].shape.clone();
        int a = parts[0].axis(axis);
        int total = 0;
        for (RingTensor p : parts) {
            if (p.shape.length != s.length) {
                throw new IllegalArgumentException("concat: ranks differ");
            }
            for (int i = 0; i < s.length; i++) {
                if (i != a && p.shape[i] != s[i]) {
                    throw new IllegalArgumentException("concat along " + a + ": shapes "
                            + Arrays.toString(parts[0].shape) + " and " + Arrays.toString(p.shape) + " differ");
                }
            }
            total += p.shape[a];
        }
        s[a] = total;
        int outer = 1;
        for (int i = 0; i < a; i++) {
            outer *= s[i];
        }
        long[] r = new long[(int) checkedSize(s)];
        int pos = 0;
        for (int o = 0; o < outer; o++) {
            for (RingTensor p : parts) {
                int chunk = p.data.length / Math.max(1, outer);
                System.arraycopy(p.data, o * chunk, r, pos, chunk);
                pos += chunk;
            }
        }
        return new RingTensor(r, s);
    }

    /** Sums over the last axis; the result drops that axis (rank-1 inputs give shape [1]). */
    public RingTensor sumLastAxis() {
        int cols = shape[shape.length - 1];
        int rows = cols == 0 ? 0 : data.length / cols;
        if (cols == 0) {
            rows = data.length;
        }
        long[] r = new long[rows];
        for (int i = 0; i < rows; i++) {
            long acc = 0;
            for (int j = 0; j < cols; j++) {
                acc += data[i * cols + j];
            }
            r[i] = acc;
        }
        int[] s = shape.length == 1 ? new int[] {1} : Arrays.copyOf(shape, shape.length - 1);
        return new RingTensor(r, s);
    }

    // ---------------------------------------------------------------- products

    /** Matrix product over the last two dimensions; see {@link #matmul(RingTensor, boolean, boolean)}. */
    public RingTensor matmul(RingTensor b) {
        return matmul(b, false, false);
    }

    /**
     * {@code op(this) * op(b)} mod 2^64 over the last two dimensions, where op transposes when the
     * flag is set (no copy is made of a transposed operand). Shapes: {@code [m,k] x [k,n]},
     * {@code [B,m,k] x [B,k,n]} (batched), or {@code [..., m, k] x [k, n]} (the matrix applies to every
     * batch entry, which is then one large product).
     */
    public RingTensor matmul(RingTensor b, boolean transA, boolean transB) {
        if (shape.length < 2 || b.shape.length < 2) {
            throw new IllegalArgumentException("matmul needs rank >= 2 operands, got "
                    + Arrays.toString(shape) + " and " + Arrays.toString(b.shape));
        }
        int ar = shape[shape.length - 2];
        int ac = shape[shape.length - 1];
        int br = b.shape[b.shape.length - 2];
        int bc = b.shape[b.shape.length - 1];
        int m = transA ? ac : ar;
        int k = transA ? ar : ac;
        int kb = transB ? bc : br;
        int n = transB ? br : bc;
        if (k != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + Arrays.toString(shape)
                    + (transA ? "^T" : "") + " x " + Arrays.toString(b.shape) + (transB ? "^T" : ""));
        }
        int batchA = data.length / Math.max(1, ar * ac);
        if (ar * ac == 0) {
            batchA = prefixSize(shape);
        }
        int[] outShape = shape.clone();
        outShape[outShape.length - 2] = m;
        outShape[outShape.length - 1] = n;
        if (b.shape.length == 2) {
            if (!transA && shape.length > 2) { // fold the batch into the rows: one big product
                long[] c = new long[(int) checkedSize(outShape)];
                RingMatmul.multiply(data, 0, false, b.data, 0, transB, c, 0, batchA * m, k, n);
                return new RingTensor(c, outShape);
            }
            long[] c = new long[(int) checkedSize(outShape)];
            for (int t = 0; t < batchA; t++) {
                RingMatmul.multiply(data, t * ar * ac, transA, b.data, 0, transB, c, t * m * n, m, k, n);
            }
            return new RingTensor(c, outShape);
        }
        if (b.shape.length != shape.length
                || !Arrays.equals(Arrays.copyOf(shape, shape.length - 2), Arrays.copyOf(b.shape, b.shape.length - 2))) {
            throw new IllegalArgumentException("matmul: batch dimensions differ: " + Arrays.toString(shape)
                    + " x " + Arrays.toString(b.shape));
        }
        long[] c = new long[(int) checkedSize(outShape)];
        for (int t = 0; t < batchA; t++) {
            RingMatmul.multiply(data, t * ar * ac, transA, b.data, t * br * bc, transB, c, t * m * n, m, k, n);
        }
        return new RingTensor(c, outShape);
    }

    private static int prefixSize(int[] shape) {
        int p = 1;
        for (int i = 0; i < shape.length - 2; i++) {
            p *= shape[i];
        }
        return p;
    }

    // ---------------------------------------------------------------- object

    @Override
    public boolean equals(Object o) {
        return o instanceof RingTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        String head = Arrays.toString(Arrays.copyOf(data, Math.min(8, data.length)));
        return "RingTensor" + Arrays.toString(shape) + (data.length > 8 ? head.replace("]", ", ...]") : head);
    }
}
