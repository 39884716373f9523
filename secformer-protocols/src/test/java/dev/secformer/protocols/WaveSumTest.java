package dev.secformer.protocols;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WaveSumTest {
    @Test
    void theVectorSumIsBitIdenticalToTheScalarOne() {
        SplittableRandom rnd = new SplittableRandom(7);
        int bits = 20;
        SecureSine.Angles angles = SecureSine.Angles.of(bits);
        for (int[] frequencies : new int[][] {{1, 2, 3, 4, 5, 6, 7}, {1, 3}, {1}}) {
            for (int n : new int[] {0, 1, 7, 8, 9, 1000}) {
                long[] delta = new long[n];
                long[][] shares = new long[2 * frequencies.length][n];
                for (int i = 0; i < n; i++) {
                    delta[i] = rnd.nextLong() & ((1L << bits) - 1);
                    for (long[] s : shares) {
                        s[i] = rnd.nextLong(-(1L << 17), 1L << 17); // shares of sines at f = 16, any ring value works
                    }
                }
                double[] cs = new double[frequencies.length];
                for (int j = 0; j < cs.length; j++) {
                    cs[j] = j == 1 ? 0 : (rnd.nextDouble() - 0.5) * 65536; // a zero coefficient is skipped
                }
                for (boolean sine : new boolean[] {true, false}) {
                    long[] want = WaveSum.SCALAR.sum(delta, shares, cs, sine, frequencies, angles);
                    assertArrayEquals(want, new VectorWaveSum().sum(delta, shares, cs, sine, frequencies, angles),
                            "n=" + n + " sine=" + sine + " frequencies=" + java.util.Arrays.toString(frequencies));
                }
            }
        }
    }

    @Test
    void protocolsUseTheVectorSumWhenTheJvmHasTheVectorApi() {
        assertEquals(VectorWaveSum.class, WaveSum.DEFAULT.getClass(), "the test JVMs run with jdk.incubator.vector");
    }
}
