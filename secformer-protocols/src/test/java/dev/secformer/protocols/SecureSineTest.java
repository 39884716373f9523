package dev.secformer.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.secformer.core.CostReport;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Wire;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The secure sine against Math.sin and Math.cos, its angle tables against the trigonometric calls, and its cost. */
class SecureSineTest {
    private static final int[] K = {1, 2, 3, 4, 5, 6, 7};

    /**
     * The documented bound, (1 + sqrt 2) 2^-16 (measured at most 2.28 2^-16): sin(k x) =
     * [sin(k delta)] cos(k t) + [cos(k delta)] sin(k t) with the public factors in brackets and the
     * dealer's values each rounded to half an ulp, so the two products are off by at most
     * (|sin| + |cos|) / 2 + (|sin| + |cos|) / 2 &lt;= sqrt 2 ulps (plus the products of the roundings,
     * 2^-17 ulps), and the local truncation by less than one more.
     */
    private static final double TOLERANCE = (1 + Math.sqrt(2) + 0x1p-17) / Mpc.FP.one();

    @Test
    void angleTablesMatchTheTrigonometricCallsForEveryWidth() {
        double[] sin = new double[K.length];
        double[] cos = new double[K.length];
        double[] sinRef = new double[K.length];
        double[] cosRef = new double[K.length];
        SplittableRandom rnd = new SplittableRandom(4);
        for (int bits : new int[] {1, 7, 20, 24, 25, 40}) {
            SecureSine.Angles angles = SecureSine.Angles.of(bits);
            for (int i = 0; i < 2000; i++) {
                long d = rnd.nextLong() & ((1L << bits) - 1);
                angles.multiples(d, K, sin, cos);
                double a = 2 * Math.PI * d / Math.scalb(1.0, bits);
                SecureSine.multiples(Math.sin(a), Math.cos(a), K, sinRef, cosRef);
                for (int j = 0; j < K.length; j++) {
                    assertEquals(sinRef[j], sin[j], 1e-13, "bits " + bits + ", d " + d + ", k " + K[j]);
                    assertEquals(cosRef[j], cos[j], 1e-13, "bits " + bits + ", d " + d + ", k " + K[j]);
                }
            }
        }
    }

    /** Random ring elements (every one is a valid input: only x mod P matters) and the ring's edges. */
    private static long[] inputs(SplittableRandom rnd, int n) {
        long[] x = new long[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextLong();
        }
        long[] edges = {0, 1, -1, 1L << 14, -(1L << 14), 3L << 16, Long.MAX_VALUE, Long.MIN_VALUE};
        System.arraycopy(edges, 0, x, 0, edges.length);
        return x;
    }

    /**
     * sin and cos of 2 pi k x / P for shares of x, against Math.sin and Math.cos of the same angle,
     * reduced exactly: k x mod P 2^16 in integers. P = 16 with the frequencies 1..7 of GeLU, P = 1
     * with non-consecutive ones, P = 2^20 (an opening of 36 bits, past the angle tables).
     */
    @Test
    void sinesAndCosinesOfSharesAreWithinTheDocumentedError() {
        Object[][] configs = {{4, K}, {0, new int[] {1, 3}}, {20, new int[] {2, 5}}};
        SplittableRandom rnd = new SplittableRandom(31);
        int n = 4096;
        for (Object[] config : configs) {
            int periodLog2 = (Integer) config[0];
            int[] k = (int[]) config[1];
            long[] x = inputs(rnd, n);
            SecureSine sine = new SecureSine(periodLog2, k);
            Mpc.Run r = Mpc.run(new RingTensor[] {RingTensor.of(x, n)}, (p, s) -> {
                SecureSine.Waves w = sine.apply(p, s[0]);
                SharedTensor[] all = new SharedTensor[2 * k.length];
                for (int j = 0; j < k.length; j++) {
                    all[2 * j] = w.sin()[j];
                    all[2 * j + 1] = w.cos()[j];
                }
                return SharedTensor.concat(0, all);
            });
            int bits = periodLog2 + 16;
            long mask = (1L << bits) - 1;
            for (int j = 0; j < k.length; j++) {
                for (int i = 0; i < n; i++) {
                    double a = 2 * Math.PI * ((k[j] * x[i]) & mask) / Math.scalb(1.0, bits);
                    String where = "P = 2^" + periodLog2 + ", k " + k[j] + ", x " + Mpc.FP.decode(x[i]);
                    assertEquals(Math.sin(a), r.output()[2 * j * n + i], TOLERANCE, "sin, " + where);
                    assertEquals(Math.cos(a), r.output()[(2 * j + 1) * n + i], TOLERANCE, "cos, " + where);
                }
            }
        }
    }

    @Test
    void costMatchesTheJavadoc() {
        int n = 800;
        for (int periodLog2 : new int[] {4, 20}) {
            SecureSine sine = new SecureSine(periodLog2, 1, 2, 3);
            CostReport c = Mpc.run(new double[n], new int[] {n}, (p, v) -> sine.apply(p, v).sin()[0]).cost();
            assertEquals(2, c.total().rounds(), "the opening, then the truncations of all sines and cosines");
            long truncations = 2L * 3 * n;
            assertEquals(2 * Wire.packedBytes(n, periodLog2 + 16) + 16 * truncations, c.total().onlineBytes());
            assertEquals(2.0 * (periodLog2 + 16) / 8 * n + 16 * truncations, c.total().onlineBytes(), 0.0,
                    "2 (p + f) / 8 bytes per element, 16 per truncated value");
            assertEquals(16L * 3 * n + 16 * truncations, c.total().dealerBytes() - c.byPath().get("setup").dealerBytes(),
                    "16 bytes per frequency and per truncated value");
        }
        assertEquals(5 * n + 16L * 2 * K.length * n, Mpc.run(new double[n], new int[] {n}, (p, v) -> new SecureSine(4, K).apply(p, v).cos()[6])
                .cost().total().onlineBytes(), "5 bytes at P = 16");
    }
}
