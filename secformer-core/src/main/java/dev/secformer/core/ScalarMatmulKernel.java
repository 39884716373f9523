package dev.secformer.core;

/**
 * Plain-Java kernel: i-k-j loop over a row-major copy of op(B). Used when the JVM was started
 * without {@code --add-modules jdk.incubator.vector}, and as the oracle of the vector kernel.
 */
final class ScalarMatmulKernel implements MatmulKernel {
    @Override
    public void multiply(long[] a, int aOff, boolean transA, long[] b, int bOff, boolean transB,
                         long[] c, int cOff, int m, int k, int n) {
        long[] bt = b;
        int bo = bOff;
        if (transB) { // copy op(B) into k x n so the inner loop runs over contiguous memory
            bt = new long[k * n];
            bo = 0;
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    bt[p * n + j] = b[bOff + j * k + p];
                }
            }
        }
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * n;
            java.util.Arrays.fill(c, ci, ci + n, 0L);
            for (int p = 0; p < k; p++) {
                long aip = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                if (aip == 0) {
                    continue;
                }
                int bp = bo + p * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += aip * bt[bp + j];
                }
            }
        }
    }
}
