package dev.secformer.core;

import java.util.SplittableRandom;

/** Helpers shared by the core tests: random tensors and naive oracles. */
final class TestTensors {
    private TestTensors() {
    }

    static RingTensor random(SplittableRandom rnd, int... shape) {
        RingTensor t = RingTensor.zeros(shape);
        long[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = rnd.nextLong();
        }
        return t;
    }

    /** Fixed-point encodings of reals uniform in [-bound, bound). */
    static RingTensor randomFixed(SplittableRandom rnd, FixedPoint fp, double bound, int... shape) {
        RingTensor t = RingTensor.zeros(shape);
        long[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = fp.encode((rnd.nextDouble() * 2 - 1) * bound);
        }
        return t;
    }

    /** Naive product of row-major m x k and k x n matrices mod 2^64. */
    static long[] naiveMatmul(long[] a, long[] b, int m, int k, int n) {
        long[] c = new long[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long acc = 0;
                for (int p = 0; p < k; p++) {
                    acc += a[i * k + p] * b[p * n + j];
                }
                c[i * n + j] = acc;
            }
        }
        return c;
    }
}
