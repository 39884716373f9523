package dev.secformer.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The ring matrix-product kernel on {@code jdk.incubator.vector}: op(B) is packed into contiguous
 * panels of 2 vectors' width (16 columns with 512-bit vectors), op(A) into blocks of 6 rows, and a
 * 6 x 2 block of vector accumulators stays in registers over the whole inner dimension. (Blocks of
 * more than 12 accumulators ran 2-6x slower on JDK 17's C2 here: measured 4x4 at 7.8 G/s against
 * 6x2 at 36 G/s on one core.) Rows are
 * split over the available processors for products large enough to pay for it. Integer
 * multiply-add wraps mod 2^64 in any order, so the result equals the scalar kernel's bit for bit.
 */
final class VectorMatmulKernel implements MatmulKernel {
    private static final VectorSpecies<Long> S = LongVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int NR = 2 * L;
    private static final int MR = 6;
    /** Below this many multiply-adds a product runs on the calling thread. */
    private static final long PARALLEL_THRESHOLD = 1L << 21;
    private static final ForkJoinPool POOL = new ForkJoinPool(Runtime.getRuntime().availableProcessors(),
            pool -> {
                var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                t.setDaemon(true);
                t.setName("secformer-matmul-" + t.getPoolIndex());
                return t;
            }, null, false);

    @Override
    public void multiply(long[] a, int aOff, boolean transA, long[] b, int bOff, boolean transB,
                         long[] c, int cOff, int m, int k, int n) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(c, cOff + i * n, cOff + (i + 1) * n, 0L);
            }
            return;
        }
        long[] packedB = packB(b, bOff, transB, k, n);
        int blocks = (m + MR - 1) / MR;
        int threads = (long) m * k * n < PARALLEL_THRESHOLD ? 1 : Math.min(blocks, POOL.getParallelism());
        if (threads <= 1) {
            rowBlocks(a, aOff, transA, packedB, c, cOff, m, k, n, 0, blocks);
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) blocks * t / threads);
            int to = (int) ((long) blocks * (t + 1) / threads);
            tasks.add(POOL.submit(() -> rowBlocks(a, aOff, transA, packedB, c, cOff, m, k, n, from, to)));
        }
        for (ForkJoinTask<?> task : tasks) {
            task.join();
        }
    }

    /** op(B) as panels of NR columns, each k x NR contiguous, zero-padded past column n. */
    private static long[] packB(long[] b, int bOff, boolean transB, int k, int n) {
        int panels = (n + NR - 1) / NR;
        long[] bp = new long[panels * k * NR];
        for (int jp = 0; jp < panels; jp++) {
            int j0 = jp * NR;
            int cols = Math.min(NR, n - j0);
            int base = jp * k * NR;
            for (int p = 0; p < k; p++) {
                int dst = base + p * NR;
                if (transB) {
                    for (int j = 0; j < cols; j++) {
                        bp[dst + j] = b[bOff + (j0 + j) * k + p];
                    }
                } else {
                    System.arraycopy(b, bOff + p * n + j0, bp, dst, cols);
                }
            }
        }
        return bp;
    }

    private static void rowBlocks(long[] a, int aOff, boolean transA, long[] bp, long[] c, int cOff,
                                  int m, int k, int n, int fromBlock, int toBlock) {
        long[] ap = new long[k * MR];
        for (int blk = fromBlock; blk < toBlock; blk++) {
            int i0 = blk * MR;
            int rows = Math.min(MR, m - i0);
            for (int p = 0; p < k; p++) { // pack op(A) rows i0..i0+3 as k groups of 4
                for (int r = 0; r < MR; r++) {
                    ap[p * MR + r] = r >= rows ? 0 : transA ? a[aOff + p * m + i0 + r] : a[aOff + (i0 + r) * k + p];
                }
            }
            for (int j0 = 0; j0 < n; j0 += NR) {
                panel(ap, bp, (j0 / NR) * k * NR, k, c, cOff, n, i0, rows, j0, Math.min(NR, n - j0));
            }
        }
    }

    private static void panel(long[] ap, long[] bp, int bBase, int k, long[] c, int cOff, int n,
                              int i0, int rows, int j0, int cols) {
        LongVector z = LongVector.zero(S);
        LongVector c00 = z, c01 = z;
        LongVector c10 = z, c11 = z;
        LongVector c20 = z, c21 = z;
        LongVector c30 = z, c31 = z;
        LongVector c40 = z, c41 = z;
        LongVector c50 = z, c51 = z;
        for (int p = 0, ai = 0, bi = bBase; p < k; p++, ai += MR, bi += NR) {
            LongVector b0 = LongVector.fromArray(S, bp, bi + 0 * L);
            LongVector b1 = LongVector.fromArray(S, bp, bi + 1 * L);
            LongVector a0 = LongVector.broadcast(S, ap[ai + 0]);
            LongVector a1 = LongVector.broadcast(S, ap[ai + 1]);
            LongVector a2 = LongVector.broadcast(S, ap[ai + 2]);
            LongVector a3 = LongVector.broadcast(S, ap[ai + 3]);
            LongVector a4 = LongVector.broadcast(S, ap[ai + 4]);
            LongVector a5 = LongVector.broadcast(S, ap[ai + 5]);
            c00 = c00.add(b0.mul(a0));
            c01 = c01.add(b1.mul(a0));
            c10 = c10.add(b0.mul(a1));
            c11 = c11.add(b1.mul(a1));
            c20 = c20.add(b0.mul(a2));
            c21 = c21.add(b1.mul(a2));
            c30 = c30.add(b0.mul(a3));
            c31 = c31.add(b1.mul(a3));
            c40 = c40.add(b0.mul(a4));
            c41 = c41.add(b1.mul(a4));
            c50 = c50.add(b0.mul(a5));
            c51 = c51.add(b1.mul(a5));
        }
        store(c, cOff, n, i0 + 0, j0, rows > 0, cols, c00, c01);
        store(c, cOff, n, i0 + 1, j0, rows > 1, cols, c10, c11);
        store(c, cOff, n, i0 + 2, j0, rows > 2, cols, c20, c21);
        store(c, cOff, n, i0 + 3, j0, rows > 3, cols, c30, c31);
        store(c, cOff, n, i0 + 4, j0, rows > 4, cols, c40, c41);
        store(c, cOff, n, i0 + 5, j0, rows > 5, cols, c50, c51);
    }

    private static void store(long[] c, int cOff, int n, int row, int j0, boolean present, int cols, LongVector v0, LongVector v1) {
        if (!present) {
            return;
        }
        int at = cOff + row * n + j0;
        if (cols == NR) {
            v0.intoArray(c, at + 0 * L);
            v1.intoArray(c, at + 1 * L);
            return;
        }
        long[] t = new long[NR];
        v0.intoArray(t, 0 * L);
        v1.intoArray(t, 1 * L);
        System.arraycopy(t, 0, c, at, cols);
    }
}
