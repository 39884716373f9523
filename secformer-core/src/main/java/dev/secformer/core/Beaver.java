package dev.secformer.core;

/**
 * Single Beaver products, each one round. To put several products in one round use
 * {@link ProductBatch} directly; costs are listed there.
 */
public final class Beaver {
    private Beaver() {
    }

    /** {@code x * y} elementwise (raw ring product). */
    public static SharedTensor mul(Party p, SharedTensor x, SharedTensor y) {
        ProductBatch b = new ProductBatch(p);
        b.mul(x, y);
        return b.run()[0];
    }

    /** Elementwise products of pairs, all in one round. */
    public static SharedTensor[] mulAll(Party p, SharedTensor[] xs, SharedTensor[] ys) {
        if (xs.length != ys.length) {
            throw new IllegalArgumentException(xs.length + " left operands but " + ys.length + " right operands");
        }
        ProductBatch b = new ProductBatch(p);
        for (int i = 0; i < xs.length; i++) {
            b.mul(xs[i], ys[i]);
        }
        return b.run();
    }

    /** {@code x * x} elementwise. */
    public static SharedTensor square(Party p, SharedTensor x) {
        ProductBatch b = new ProductBatch(p);
        b.square(x);
        return b.run()[0];
    }

    /** {@code op(x) op(y)}, 2-D or batched 3-D. */
    public static SharedTensor matmul(Party p, SharedTensor x, SharedTensor y, boolean transX, boolean transY) {
        ProductBatch b = new ProductBatch(p);
        b.matmul(x, y, transX, transY);
        return b.run()[0];
    }

    public static SharedTensor matmul(Party p, SharedTensor x, SharedTensor y) {
        return matmul(p, x, y, false, false);
    }

    /** Fixed-point elementwise product: the ring product truncated by f bits (two rounds if the truncation is exact). */
    public static SharedTensor mulFixed(Party p, SharedTensor x, SharedTensor y) {
        return Truncation.truncate(p, mul(p, x, y), p.fixedPoint().fractionBits());
    }

    /** Fixed-point matrix product: the ring product truncated by f bits (two rounds if the truncation is exact). */
    public static SharedTensor matmulFixed(Party p, SharedTensor x, SharedTensor y) {
        return Truncation.truncate(p, matmul(p, x, y), p.fixedPoint().fractionBits());
    }
}
