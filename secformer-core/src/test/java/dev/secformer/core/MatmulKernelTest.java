package dev.secformer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The kernel chosen for this JVM against the scalar kernel and a naive product. The expected kernel
 * name comes from the build (system property {@code secformer.expectKernel}), so that the run
 * without the Vector API module checks the automatic fallback and the normal run checks the vector kernel.
 */
class MatmulKernelTest {
    private final SplittableRandom rnd = new SplittableRandom(21);

    @Test
    void theExpectedKernelIsInUse() {
        assertEquals(System.getProperty("secformer.expectKernel", "vector"), RingMatmul.kernelName());
    }

    @Test
    void bitIdenticalToTheScalarKernelOnRaggedShapesTransposesAndOffsets() {
        int[][] shapes = {{1, 1, 1}, {1, 7, 33}, {5, 1, 9}, {4, 8, 32}, {3, 5, 31}, {9, 17, 65}, {33, 64, 100},
            {130, 70, 97}, {7, 0, 5}, {64, 128, 64}, {13, 600, 21}, {7, 513, 40}}; // k above one block of the inner dimension
        for (int[] s : shapes) {
            int m = s[0], k = s[1], n = s[2];
            for (int variant = 0; variant < 4; variant++) {
                boolean ta = (variant & 1) != 0;
                boolean tb = (variant & 2) != 0;
                int aOff = rnd.nextInt(5);
                int bOff = rnd.nextInt(5);
                int cOff = rnd.nextInt(5);
                long[] a = random(aOff + m * k);
                long[] b = random(bOff + k * n);
                long[] want = random(cOff + m * n); // garbage must be overwritten
                long[] got = want.clone();
                RingMatmul.multiplyScalar(a, aOff, ta, b, bOff, tb, want, cOff, m, k, n);
                RingMatmul.multiply(a, aOff, ta, b, bOff, tb, got, cOff, m, k, n);
                assertArrayEquals(want, got, "shape " + m + "x" + k + "x" + n + " transA=" + ta + " transB=" + tb);
            }
        }
    }

    @Test
    void aPackedOperandGivesTheSameProducts() {
        for (int[] s : new int[][] {{5, 7, 3}, {128, 300, 70}, {1, 1000, 33}}) {
            int m = s[0], k = s[1], n = s[2];
            RingTensor x = RingTensor.of(random(2 * m * k), 2, m, k);
            RingTensor w = RingTensor.of(random(k * n), k, n);
            assertEquals(x.matmul(w), PackedMatrix.of(w).multiplyFromLeft(x), m + "x" + k + "x" + n);
        }
    }

    @Test
    void largeParallelProductMatchesTheNaiveProduct() {
        int m = 200, k = 700, n = 130; // above the threshold at which panels are split over threads, several inner blocks
        long[] a = random(m * k);
        long[] b = random(k * n);
        long[] got = new long[m * n];
        RingMatmul.multiply(a, 0, false, b, 0, false, got, 0, m, k, n);
        assertArrayEquals(TestTensors.naiveMatmul(a, b, m, k, n), got);
    }

    private long[] random(int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextLong();
        }
        return v;
    }
}
