package dev.secformer.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.secformer.core.CostReport;
import dev.secformer.core.RingTensor;
import dev.secformer.core.TwoPartyException;

class TwoQuadSoftmaxTest {
    private final TwoQuadSoftmax quad = new TwoQuadSoftmax();

    /** The plaintext 2Quad of the quantized scores. */
    private static double[] oracle(double[] scores, long[] mask, int cols) {
        double[] out = new double[scores.length];
        for (int r = 0; r < scores.length / cols; r++) {
            double den = 0;
            for (int j = r * cols; j < (r + 1) * cols; j++) {
                double t = Mpc.quantized(scores[j]) + 5;
                den += mask[j] * t * t;
            }
            for (int j = r * cols; j < (r + 1) * cols; j++) {
                double t = Mpc.quantized(scores[j]) + 5;
                out[j] = den == 0 ? 0 : mask[j] * t * t / den;
            }
        }
        return out;
    }

    private Mpc.Run run(double[] scores, long[] mask, int[] shape) {
        RingTensor m = RingTensor.of(mask, shape);
        return Mpc.run(new RingTensor[] {Mpc.FP.encode(scores, shape)}, (p, s) -> quad.apply(p, s[0], m));
    }

    /** Random scores uniform in [-3, 6]: every term (x + 5)^2 in [4, 121], inside the default range. */
    private static double[] scores(Random rnd, int n) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = -3 + 9 * rnd.nextDouble();
        }
        return s;
    }

    /** A key mask with every key of every row real. */
    private static long[] allReal(int rows, int cols) {
        int[] real = new int[rows];
        java.util.Arrays.fill(real, cols);
        return mask(rows, cols, real);
    }

    private static long[] mask(int rows, int cols, int[] real) {
        long[] m = new long[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < real[r]; j++) {
                m[r * cols + j] = 1;
            }
        }
        return m;
    }

    private static void assertMatches(double[] want, double[] got, long[] mask) {
        for (int i = 0; i < want.length; i++) {
            if (mask[i] == 0) {
                assertEquals(0.0, got[i], "padded key " + i + " must get weight exactly 0");
            } else {
                assertEquals(want[i], got[i], 2e-4 * want[i] + Math.scalb(1.0, -15), "element " + i);
            }
        }
    }

    @Test
    void matchesTheOracleOnPaddedRowsOfEveryLength() {
        Random rnd = new Random(3);
        for (int cols : new int[] {1, 8, 128, 512}) {
            int rows = cols >= 512 ? 4 : 16;
            int[] real = new int[rows];
            for (int r = 0; r < rows; r++) {
                real[r] = r == 0 ? cols : 1 + rnd.nextInt(cols);
            }
            double[] s = scores(rnd, rows * cols);
            long[] m = mask(rows, cols, real);
            Mpc.Run run = run(s, m, new int[] {rows / 2, 2, cols});
            assertMatches(oracle(s, m, cols), run.output(), m);
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                for (int j = 0; j < cols; j++) {
                    sum += run.output()[r * cols + j];
                }
                assertEquals(1.0, sum, 2e-4 + real[r] * Math.scalb(1.0, -15), "row " + r + " sums to 1");
            }
        }
    }

    @Test
    void peakedRowsAtTheEdgesOfTheMeanTermRange() {
        int cols = 128;
        double[] s = new double[3 * cols];
        for (int j = 0; j < cols; j++) {
            s[j] = -3;                                   // (x + 5)^2 = 4: the lower edge
            s[cols + j] = Math.sqrt(128) - 5;            // 128: the upper edge
            s[2 * cols + j] = j == 7 ? 5 : -3.2;         // one dominant key over near-zero weights
        }
        long[] m = mask(3, cols, new int[] {cols, cols, cols});
        assertMatches(oracle(s, m, cols), run(s, m, new int[] {3, cols}).output(), m);
    }

    @Test
    void rowsWithoutRealKeysGiveZeros() {
        Random rnd = new Random(1);
        double[] s = scores(rnd, 2 * 16);
        long[] m = mask(2, 16, new int[] {0, 5});
        Mpc.Run run = run(s, m, new int[] {2, 16});
        assertMatches(oracle(s, m, 16), run.output(), m);
    }

    @Test
    void costMatchesTheFormula() {
        int rows = 12;
        int cols = 64;
        int n = rows * cols;
        long[] m = allReal(rows, cols);
        CostReport.Entry c = run(scores(new Random(2), n), m, new int[] {rows, cols}).cost().forLabel("2quad");
        int comparisons = quad.reciprocal().comparisonsPerDivisor();
        assertEquals(160, comparisons);
        assertEquals(6, c.rounds(), "the numerators and the reciprocal truncated on the way into their product");
        assertEquals(quad.rounds(), c.rounds());
        // the square, the product's opening of the numerators and the product's truncation 16 n each; per row the
        // comparisons with their mask's and u's openings, and the product's opening of the reciprocal
        assertEquals(48L * n + new DigitComparison().onlineBytes((long) rows * comparisons, comparisons, comparisons) + 16L * rows,
                c.onlineBytes());
        // the square 8 n, the numerators' truncation parts 16 n and cross terms with the truncated reciprocal 32 n,
        // the last truncation 16 n; per row the reciprocal's truncation parts
        assertEquals(72L * n + reciprocalDealerBytes(rows, cols), c.dealerBytes());
    }

    /**
     * The reciprocal's dealer bytes for rows of cols real keys: the comparisons, whose u is the
     * denominator (2f bits, read as f-bit with bounds 2^f larger) over 2^tau truncated to 16 bits on
     * the way in, and the parts of its truncation on the way into the product.
     */
    private long reciprocalDealerBytes(int rows, int cols) {
        int comparisons = quad.reciprocal().comparisonsPerDivisor();
        int tau = Math.getExponent(cols * TwoQuadSoftmax.DEFAULT_MAX_MEAN_TERM * 65536 / quad.reciprocal().ratio());
        return DigitComparison.dealerBytes((long) rows * comparisons, 32, comparisons, 16 + tau - 16, comparisons) + 16L * rows;
    }

    /** Scores straight from their product (2f fractional bits): the square truncates them, no round more. */
    @Test
    void untruncatedScoresCostNoExtraRound() {
        int rows = 12;
        int cols = 64;
        int n = rows * cols;
        long[] mask = allReal(rows, cols);
        double[] s = scores(new Random(3), n);
        RingTensor m = RingTensor.of(mask, rows, cols);
        RingTensor raw = Mpc.FP.encode(s, rows, cols).mulScalar(Mpc.FP.one());
        Mpc.Run run = Mpc.run(new RingTensor[] {raw}, (p, x) -> quad.applyUntruncated(p, x[0], Mpc.FP.fractionBits(), m));
        assertMatches(oracle(s, mask, cols), run.output(), mask);
        CostReport.Entry c = run.cost().forLabel("2quad");
        assertEquals(quad.rounds(), c.rounds());
        assertEquals(72L * n + 24L * n + reciprocalDealerBytes(rows, cols), c.dealerBytes());
    }

    /**
     * A row whose mean term is 400, beyond the range's 128 (where Goldschmidt's iteration gave
     * entries of 1e8), divides by the top of the range instead: each weight is (x + 5)^2 / (n 128)
     * within 2^(1/32), bounded.
     */
    @Test
    void aRowAboveTheMeanTermRangeSaturates() {
        int cols = 8;
        double[] s = new double[cols];
        java.util.Arrays.fill(s, 15); // (x + 5)^2 = 400
        long[] m = allReal(1, cols);
        Mpc.Run run = run(s, m, new int[] {1, cols});
        double held = 400.0 / (cols * TwoQuadSoftmax.DEFAULT_MAX_MEAN_TERM);
        for (int j = 0; j < cols; j++) {
            assertTrue(run.output()[j] <= held * 1.001 && run.output()[j] >= held * Math.pow(2, -1.0 / 32) * 0.999,
                    "weight " + j + " = " + run.output()[j] + ", held " + held);
        }
    }

    @Test
    void checkModeReportsARowOutsideTheRange() {
        int cols = 8;
        double[] s = new double[2 * cols];
        java.util.Arrays.fill(s, 0, cols, 0.0);       // mean term 25: fine
        java.util.Arrays.fill(s, cols, 2 * cols, -5); // mean term 0: below the range
        long[] m = mask(2, cols, new int[] {cols, cols});
        Mpc.withRangeCheck(() -> {
            TwoPartyException e = assertThrows(TwoPartyException.class, () -> run(s, m, new int[] {2, cols}));
            String msg = e.getCause().getMessage();
            assertTrue(msg.contains("TwoQuadSoftmax") && msg.contains("row denominator") && msg.contains("element 1"), msg);
        });
    }

    @Test
    void rejectsABadMask() {
        long[] m = {1, 2};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> quad.apply(null, new dev.secformer.core.SharedTensor(0, RingTensor.zeros(2)), RingTensor.of(m, 2)));
        assertTrue(e.getMessage().contains("not 0 or 1"), e.getMessage());
    }
}
