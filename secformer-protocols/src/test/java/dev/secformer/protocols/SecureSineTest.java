package dev.secformer.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The secure sine against Math.sin and Math.cos, and its angle tables against the trigonometric calls. */
class SecureSineTest {
    private static final int[] K = {1, 2, 3, 4, 5, 6, 7};

    @Test
    void angleTablesMatchTheTrigonometricCallsForEveryWidth() {
        double[] sin = new double[K.length];
        double[] cos = new double[K.length];
        double[] sinRef = new double[K.length];
        double[] cosRef = new double[K.length];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(4);
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

    /**
     * sin(k x) = sin(k delta) [cos(k t)] + cos(k delta) [sin(k t)]: the dealer's values and the public
     * factors are each rounded to half an ulp, so each product is off by up to one ulp, and the
     * truncation adds one more: three ulps in all.
     */
    @Test
    void sinesAndCosinesOfSharesAreWithinThreeUlpsOfFixedPoint() {
        double[] x = Mpc.linspace(-40, 40, 4001);
        SecureSine sine = new SecureSine(4, K);
        for (int j = 0; j < K.length; j++) {
            int term = j;
            Mpc.Run s = Mpc.run(x, new int[] {x.length}, (p, v) -> sine.apply(p, v).sin()[term]);
            Mpc.Run c = Mpc.run(x, new int[] {x.length}, (p, v) -> sine.apply(p, v).cos()[term]);
            for (int i = 0; i < x.length; i++) {
                double a = 2 * Math.PI * K[j] * Mpc.quantized(x[i]) / 16;
                assertEquals(Math.sin(a), s.output()[i], 3.0 / Mpc.FP.one(), "sin, k " + K[j] + ", x " + x[i]);
                assertEquals(Math.cos(a), c.output()[i], 3.0 / Mpc.FP.one(), "cos, k " + K[j] + ", x " + x[i]);
            }
        }
    }
}
