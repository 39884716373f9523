package dev.secformer.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.secformer.core.CostReport;
import dev.secformer.core.RingTensor;
import dev.secformer.core.TwoPartyException;

class InverseSqrtTest {
    private static final int INPUT_BITS = 24;

    /** Largest relative error of the scaled results for inputs x (read at 24 fractional bits) with bound u. */
    private static double worstScaledError(InverseSqrt inv, double[] x, double u) {
        long[] raw = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            raw[i] = Math.round(Math.scalb(x[i], INPUT_BITS));
        }
        AtomicReference<InverseSqrt.Result> result = new AtomicReference<>();
        Mpc.Run r = Mpc.run(new RingTensor[] {RingTensor.of(raw, x.length)}, (p, s) -> {
            InverseSqrt.Result q = inv.applyScaled(p, s[0], INPUT_BITS, u, "test", "input", false);
            result.set(q);
            return q.value();
        });
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double y = Math.scalb((double) r.raw().data()[i], -result.get().fractionBits()) * result.get().factor();
            worst = Math.max(worst, Math.abs(y * Math.sqrt(Math.scalb((double) raw[i], -INPUT_BITS)) - 1));
        }
        return worst;
    }

    @Test
    void twoGoldschmidtStepsAndSixRoundsWhateverTheRange() {
        for (double ratio : new double[] {1, 40, 1000, 1e5}) {
            InverseSqrt inv = new InverseSqrt(ratio);
            assertEquals(2, inv.iterations(), "ratio " + ratio);
            assertEquals(6, inv.rounds(), "ratio " + ratio);
        }
        assertEquals(66, new InverseSqrt(1e5).comparisonsPerElement());
        assertEquals(1, new InverseSqrt(1).comparisonsPerElement());
    }

    @Test
    void convergenceCountOfTheExactIteration() {
        assertEquals(5, InverseSqrt.iterationsFor(0.95, 1.9, 1e-4));
        assertEquals(18, InverseSqrt.iterationsFor(0.95e-5, 1.9, 1e-4));
        assertEquals(2, InverseSqrt.iterationsFor(0.91, 1.1, 1e-4));
    }

    @Test
    void scaledResultWithinTheDocumentedErrorOverDenseGridsAndEdges() {
        for (double ratio : new double[] {1, 1000, 1e5}) {
            InverseSqrt inv = new InverseSqrt(ratio);
            for (double u : new double[] {1, 100, 1e4, 768e3}) {
                double[] x = Mpc.concat(Mpc.geomspace(u / ratio, u, 2000), new double[] {u / ratio, u});
                double worst = worstScaledError(inv, x, u);
                assertTrue(worst <= 1.5e-4, "ratio " + ratio + ", bound " + u + ": relative error " + worst);
            }
        }
    }

    @Test
    void fixedPointOutputOnRandomVariances() {
        InverseSqrt inv = new InverseSqrt(1e4);
        Random rnd = new Random(8);
        double[] x = new double[1500];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.pow(10, -2 + 4 * rnd.nextDouble());
        }
        Mpc.Run r = Mpc.run(x, new int[] {x.length}, (p, s) -> inv.apply(p, s, 100));
        for (int i = 0; i < x.length; i++) {
            double want = 1 / Math.sqrt(Mpc.quantized(x[i]));
            assertEquals(want, r.output()[i], 5e-4 * want + Math.scalb(1.0, -15), "x = " + x[i]);
        }
    }

    @Test
    void costMatchesTheFormula() {
        InverseSqrt inv = new InverseSqrt(1000);
        int k = inv.iterations();
        int n = 200;
        CostReport.Entry c = Mpc.run(Mpc.linspace(0.5, 50, n), new int[] {n}, (p, s) -> inv.apply(p, s, 100))
                .cost().forLabel("inv-sqrt");
        long comparisons = (long) n * inv.comparisonsPerElement();
        assertEquals(inv.rounds(), c.rounds());
        int group = inv.comparisonsPerElement();
        assertEquals(2, k);
        // Goldschmidt, per party: {y m, x' m} opens m, y and x' (24 bytes), (x' m) m opens x' m and m (16), the last y m
        // opens m and y (16); u and its comparison input need no truncation for these bounds (shifts <= 0)
        assertEquals(new DigitComparison().onlineBytes(comparisons, group) + 2L * n * (24 + 16 + 16), c.onlineBytes());
        assertEquals(comparisons * new DigitComparison().onlineBitsPerElement() / 8 + 16L * n + 2L * n * (24 + 16 + 16),
                c.onlineBytes(), "one opened u - m per element for all its comparisons' products");
        // dealer: m's truncation parts (16) in each product, plain partners 16, truncated partners 48
        assertEquals(DigitComparison.dealerBytes(comparisons, 32, group) + (long) n * ((16 + 16 + 48) + (16 + 16) + (16 + 48)),
                c.dealerBytes());
        assertEquals(6, c.rounds(), "x' is made in the comparison's last round; y's last truncation is the caller's");
    }

    @Test
    void checkModeReportsZeroAndOutOfRangeInputs() {
        InverseSqrt inv = new InverseSqrt(100);
        Mpc.withRangeCheck(() -> {
            for (double bad : new double[] {0, -1, 0.5, 200}) {
                TwoPartyException e = assertThrows(TwoPartyException.class,
                        () -> Mpc.run(new double[] {10, bad}, new int[] {2}, (p, s) -> inv.apply(p, s, 100)));
                String msg = e.getCause().getMessage();
                assertTrue(msg.contains("InverseSqrt") && msg.contains("element 1"), msg);
            }
        });
    }

    @Test
    void refusesRangesItCannotMeet() {
        assertThrows(IllegalArgumentException.class, () -> new InverseSqrt(1e6));
        assertThrows(IllegalArgumentException.class, () -> new InverseSqrt(0.5));
    }
}
