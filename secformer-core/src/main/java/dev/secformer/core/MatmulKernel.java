package dev.secformer.core;

/**
 * A ring matrix-product kernel: {@code C = op(A) * op(B) mod 2^64}, all matrices row-major.
 *
 * <p>{@code op(A)} is {@code m x k}: A is stored as {@code m x k}, or as {@code k x m} when
 * {@code transA}. {@code op(B)} is {@code k x n}: B is stored as {@code k x n}, or as {@code n x k}
 * when {@code transB}. C ({@code m x n}) is overwritten. Every implementation gives bit-identical
 * results (wrap-around multiplication and addition are associative and commutative in the ring).
 */
interface MatmulKernel {
    default void multiply(long[] a, int aOff, boolean transA, long[] b, int bOff, boolean transB,
                          long[] c, int cOff, int m, int k, int n) {
        multiplyPacked(a, aOff, transA, pack(b, bOff, transB, k, n), c, cOff, m, k, n);
    }

    /** op(B) ({@code k x n}) in this kernel's layout, for {@link #multiplyPacked}. */
    long[] pack(long[] b, int bOff, boolean transB, int k, int n);

    /** {@code C = op(A) B} with B as {@link #pack} laid it out. */
    void multiplyPacked(long[] a, int aOff, boolean transA, long[] packedB, long[] c, int cOff, int m, int k, int n);
}
