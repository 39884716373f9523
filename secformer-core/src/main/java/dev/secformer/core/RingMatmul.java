package dev.secformer.core;

/**
 * Entry point of the ring matrix-product kernels. Picks the {@code jdk.incubator.vector} kernel
 * when the JVM has that module, the scalar kernel otherwise; both give identical results.
 */
public final class RingMatmul {
    private static final MatmulKernel SCALAR = new ScalarMatmulKernel();
    private static final MatmulKernel DEFAULT = VectorSupport.choose(java.lang.invoke.MethodHandles.lookup(), MatmulKernel.class, "dev.secformer.core.VectorMatmulKernel", SCALAR);

    private RingMatmul() {
    }

    /** Name of the kernel in use ("vector" or "scalar"), for reports. */
    public static String kernelName() {
        return DEFAULT == SCALAR ? "scalar" : "vector";
    }

    /** {@code C = op(A) * op(B) mod 2^64} with the default kernel; see {@link MatmulKernel}. */
    public static void multiply(long[] a, int aOff, boolean transA, long[] b, int bOff, boolean transB,
                                long[] c, int cOff, int m, int k, int n) {
        DEFAULT.multiply(a, aOff, transA, b, bOff, transB, c, cOff, m, k, n);
    }

    /** B ({@code k x n}, row-major) in the default kernel's layout, for {@link #multiplyPacked}. */
    static long[] pack(long[] b, int k, int n) {
        return DEFAULT.pack(b, 0, false, k, n);
    }

    /** {@code C = A B} with A {@code m x k} row-major and B as {@link #pack} laid it out. */
    static void multiplyPacked(long[] a, long[] packedB, long[] c, int m, int k, int n) {
        DEFAULT.multiplyPacked(a, 0, false, packedB, c, 0, m, k, n);
    }

    /** The same product with the scalar kernel (oracle for tests and benchmarks). */
    public static void multiplyScalar(long[] a, int aOff, boolean transA, long[] b, int bOff, boolean transB,
                                      long[] c, int cOff, int m, int k, int n) {
        SCALAR.multiply(a, aOff, transA, b, bOff, transB, c, cOff, m, k, n);
    }
}
