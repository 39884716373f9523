package dev.secformer.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The ring matrix-product kernel on {@code jdk.incubator.vector}: op(B) is packed into contiguous
 * panels of 2 vectors' width (16 columns with 512-bit vectors), once for a fixed operand
 * ({@link PackedMatrix}); op(A) into blocks of 6 rows; the inner dimension is cut into blocks of
 * {@value #KC}, and a 6 x 2 block of vector accumulators stays in registers over each. (Blocks of
 * more than 12 accumulators ran 2-6x slower on JDK 17's C2 here: measured 4x4 at 7.8 G/s against
 * 6x2 at 36 G/s on one core.) Column
 * panels are split over the available processors for products large enough to pay for it. Integer
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

    /** Rows of op(B) per block of the inner dimension: a panel's block (KC x NR words, 32 KiB) stays in L1. */
    private static final int KC = 256;

    @Override
    public long[] pack(long[] b, int bOff, boolean transB, int k, int n) {
        return packB(b, bOff, transB, k, n);
    }

    /**
     * Blocked product (the GotoBLAS loop order): for each block of KC rows of the inner dimension,
     * op(A)'s block is packed for all rows (m x KC words, in L2), and every panel block of op(B)
     * (KC x NR words, in L1) is multiplied against every row block, accumulating into C. op(B) is
     * read from memory once per product whatever k is. Threads split the column panels.
     */
    @Override
    public void multiplyPacked(long[] a, int aOff, boolean transA, long[] packedB, long[] c, int cOff, int m, int k, int n) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(c, cOff + i * n, cOff + (i + 1) * n, 0L);
            }
            return;
        }
        int panels = (n + NR - 1) / NR;
        int threads = (long) m * k * n < PARALLEL_THRESHOLD ? 1 : Math.min(panels, POOL.getParallelism());
        if (threads <= 1) {
            panels(a, aOff, transA, packedB, c, cOff, m, k, n, 0, panels);
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) panels * t / threads);
            int to = (int) ((long) panels * (t + 1) / threads);
            tasks.add(POOL.submit(() -> panels(a, aOff, transA, packedB, c, cOff, m, k, n, from, to)));
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

    /** Columns panels [fromPanel, toPanel) of C, all rows. */
    private static void panels(long[] a, int aOff, boolean transA, long[] bp, long[] c, int cOff,
                               int m, int k, int n, int fromPanel, int toPanel) {
        int blocks = (m + MR - 1) / MR;
        long[] ap = new long[blocks * KC * MR];
        long[] block = new long[MR * NR];
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            packA(a, aOff, transA, m, k, p0, kc, blocks, ap);
            for (int jp = fromPanel; jp < toPanel; jp++) {
                int j0 = jp * NR;
                int cols = Math.min(NR, n - j0);
                int bBase = jp * k * NR + p0 * NR;
                for (int blk = 0; blk < blocks; blk++) {
                    int i0 = blk * MR;
                    panel(ap, blk * kc * MR, bp, bBase, kc, block);
                    addOut(block, c, cOff, n, i0, Math.min(MR, m - i0), j0, cols, p0 == 0);
                }
            }
        }
    }

    /** Rows of op(A), columns [p0, p0 + kc): per row block of MR rows, kc groups of MR values (zero past row m). */
    private static void packA(long[] a, int aOff, boolean transA, int m, int k, int p0, int kc, int blocks, long[] ap) {
        for (int blk = 0; blk < blocks; blk++) {
            int i0 = blk * MR;
            int rows = Math.min(MR, m - i0);
            int base = blk * kc * MR;
            for (int p = 0; p < kc; p++) {
                for (int r = 0; r < MR; r++) {
                    ap[base + p * MR + r] = r >= rows ? 0
                            : transA ? a[aOff + (p0 + p) * m + i0 + r] : a[aOff + (i0 + r) * k + p0 + p];
                }
            }
        }
    }

    /**
     * The 6 x NR block of op(A) op(B) for one row block and one column panel, into {@code out}
     * (row-major 6 x NR). No data-dependent branch: partial blocks are computed in full on
     * zero-padded operands and trimmed by {@link #addOut}, so that the JIT keeps one compiled,
     * intrinsified version (branches taken late made C2 deoptimise it repeatedly and fall back to
     * boxed vector code, measured 10x slower inside a full secure BERT).
     */
    private static void panel(long[] ap, int aBase, long[] bp, int bBase, int k, long[] out) {
        LongVector z = LongVector.zero(S);
        LongVector c00 = z, c01 = z;
        LongVector c10 = z, c11 = z;
        LongVector c20 = z, c21 = z;
        LongVector c30 = z, c31 = z;
        LongVector c40 = z, c41 = z;
        LongVector c50 = z, c51 = z;
        for (int p = 0, ai = aBase, bi = bBase; p < k; p++, ai += MR, bi += NR) {
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
        c00.intoArray(out, 0 * NR + 0 * L);
        c01.intoArray(out, 0 * NR + 1 * L);
        c10.intoArray(out, 1 * NR + 0 * L);
        c11.intoArray(out, 1 * NR + 1 * L);
        c20.intoArray(out, 2 * NR + 0 * L);
        c21.intoArray(out, 2 * NR + 1 * L);
        c30.intoArray(out, 3 * NR + 0 * L);
        c31.intoArray(out, 3 * NR + 1 * L);
        c40.intoArray(out, 4 * NR + 0 * L);
        c41.intoArray(out, 4 * NR + 1 * L);
        c50.intoArray(out, 5 * NR + 0 * L);
        c51.intoArray(out, 5 * NR + 1 * L);
    }

    /** Writes (first block of the inner dimension) or adds the valid {@code rows x cols} part of a block into C. */
    private static void addOut(long[] block, long[] c, int cOff, int n, int i0, int rows, int j0, int cols, boolean first) {
        for (int r = 0; r < rows; r++) {
            int dst = cOff + (i0 + r) * n + j0;
            if (first) {
                System.arraycopy(block, r * NR, c, dst, cols);
            } else {
                for (int j = 0; j < cols; j++) {
                    c[dst + j] += block[r * NR + j];
                }
            }
        }
    }
}
