package dev.secformer.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.secformer.core.RingTensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SelectionAndMaxTest {
    private final SplittableRandom rnd = new SplittableRandom(8);
    private final DigitComparison cmp = new DigitComparison();

    private double[] random(int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (rnd.nextDouble() * 2 - 1) * scale;
        }
        return v;
    }

    @Test
    void selectPicksByBitAndReluClampsNegatives() {
        double[] a = random(500, 50);
        double[] b = random(500, 50);
        long[] bits = new long[500];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = rnd.nextInt(2);
        }
        Mpc.Run r = Mpc.run(new RingTensor[] {RingTensor.of(bits, 500), Mpc.FP.encode(a, 500), Mpc.FP.encode(b, 500)},
                (p, xs) -> Selection.select(p, xs[0], xs[1], xs[2]));
        for (int i = 0; i < bits.length; i++) {
            assertEquals(Mpc.quantized(bits[i] == 1 ? a[i] : b[i]), r.output()[i], 0.0, "element " + i);
        }
        double[] x = Mpc.concat(random(500, 100), new double[] {0, -1e-4, 1e-4, -32767, 32767});
        Mpc.Run relu = Mpc.run(x, new int[] {x.length}, (p, t) -> Selection.relu(p, cmp, t));
        for (int i = 0; i < x.length; i++) {
            assertEquals(Math.max(0, Mpc.quantized(x[i])), relu.output()[i], 0.0, "element " + i + " = " + x[i]);
        }
        assertEquals(cmp.rounds() + 1, relu.cost().total().rounds());
    }

    @Test
    void rowMaxOfOddAndEvenLengths() {
        for (int n : new int[] {1, 2, 3, 7, 8, 128, 129}) {
            int rows = 5;
            double[] x = random(rows * n, 30);
            Mpc.Run r = Mpc.run(x, new int[] {rows, n}, (p, t) -> new RowMax(cmp).apply(p, t));
            for (int row = 0; row < rows; row++) {
                double want = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    want = Math.max(want, Mpc.quantized(x[row * n + j]));
                }
                assertEquals(want, r.output()[row], 0.0, "n=" + n + " row " + row);
            }
            int levels = 32 - Integer.numberOfLeadingZeros(n - 1);
            assertEquals(levels * (cmp.rounds() + 1), r.cost().total().rounds(), "n=" + n);
        }
    }

    @Test
    void exactSoftmaxMatchesDoubleSoftmaxWithPadding() {
        int heads = 2;
        int n = 16;
        double[] x = random(heads * n * n, 8);
        long[] mask = new long[x.length];
        int real = 11; // the last 5 keys are padding
        for (int i = 0; i < mask.length; i++) {
            mask[i] = i % n < real ? 1 : 0;
        }
        Mpc.Run r = Mpc.run(new RingTensor[] {Mpc.FP.encode(x, heads, n, n)},
                (p, xs) -> new ExactSoftmax(cmp).apply(p, xs[0], RingTensor.of(mask, heads, n, n)));
        double maxErr = 0;
        for (int row = 0; row < heads * n; row++) {
            double mx = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < real; j++) {
                mx = Math.max(mx, x[row * n + j]);
            }
            double sum = 0;
            for (int j = 0; j < real; j++) {
                sum += Math.exp(x[row * n + j] - mx);
            }
            for (int j = 0; j < n; j++) {
                double want = j < real ? Math.exp(x[row * n + j] - mx) / sum : 0;
                maxErr = Math.max(maxErr, Math.abs(want - r.output()[row * n + j]));
            }
        }
        // LimitExp's (1 + x/256)^256 and 16-bit rounding: a few 1e-3 absolute on probabilities.
        assertEquals(0, maxErr, 5e-3, "max abs error " + maxErr);
    }
}
