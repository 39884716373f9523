package dev.secformer.core;

/**
 * Plain-Java kernel: i-k-j loop over a row-major copy of op(B). Used when the JVM was started
 * without {@code --add-modules jdk.incubator.vector}, and as the oracle of the vector kernel.
 */
final class ScalarMatmulKernel implements MatmulKernel {
    /** op(B) as a row-major {@code k x n} copy, so the inner loop runs over contiguous memory. */
    @Override
    public long[] pack(long[] b, int bOff, boolean transB, int k, int n) {
        long[] bt = new long[k * n];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                bt[p * n + j] = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
            }
        }
        return bt;
    }

    @Override
    public void multiplyPacked(long[] a, int aOff, boolean transA, long[] bt, long[] c, int cOff, int m, int k, int n) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * n;
            java.util.Arrays.fill(c, ci, ci + n, 0L);
            for (int p = 0; p < k; p++) {
                long aip = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                if (aip == 0) {
                    continue;
                }
                int bp = p * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += aip * bt[bp + j];
                }
            }
        }
    }
}
