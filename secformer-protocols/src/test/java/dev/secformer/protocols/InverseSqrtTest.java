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
    void threeRoundsWhateverTheRangeAndThirtyTwoSegmentsPerOctave() {
        for (double ratio : new double[] {1, 40, 1000, 1e5}) {
            assertEquals(3, new InverseSqrt(ratio).rounds(), "ratio " + ratio);
        }
        assertEquals(532, new InverseSqrt(1e5).comparisonsPerElement());
        assertEquals(160, new InverseSqrt(32).comparisonsPerElement());
        assertEquals(2, new InverseSqrt(1).comparisonsPerElement());
    }

    @Test
    void scaledResultWithinTheDocumentedErrorOverDenseGridsAndEdges() {
        for (double ratio : new double[] {1, 1000, 1e5}) {
            InverseSqrt inv = new InverseSqrt(ratio);
            for (double u : new double[] {1, 100, 1e4, 768e3}) {
                double[] x = Mpc.concat(Mpc.geomspace(u / ratio, u, 2000), new double[] {u / ratio, u});
                double worst = worstScaledError(inv, x, u);
                assertTrue(worst <= 4e-5, "ratio " + ratio + ", bound " + u + ": relative error " + worst);
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
        int n = 200;
        int group = inv.comparisonsPerElement();
        long comparisons = (long) n * group;
        DigitComparison cmp = new DigitComparison();
        // at f bits, bound 100: u = x 2^4 needs no truncation; the output's truncation is one round more
        Mpc.Run plain = Mpc.run(Mpc.linspace(0.5, 50, n), new int[] {n}, (p, s) -> inv.apply(p, s, 100));
        CostReport.Entry c = plain.cost().forLabel("inv-sqrt");
        assertEquals(3, c.rounds());
        assertEquals(cmp.onlineBytes(comparisons, group, group), c.onlineBytes(), "the comparisons and one opened u per element");
        assertEquals(DigitComparison.dealerBytes(comparisons, 32, group, 0, group), c.dealerBytes());
        assertEquals(4, plain.cost().total().rounds());
        // a raw sum of squares at 24 bits, bound 768e3: u is truncated by 10 bits on the way into the products
        InverseSqrt wide = new InverseSqrt(1e5);
        long[] raw = new long[n];
        for (int i = 0; i < n; i++) {
            raw[i] = Math.round(Math.scalb(7.68 * Math.pow(1e5, i / (n - 1.0)), INPUT_BITS));
        }
        CostReport.Entry s = Mpc.run(new RingTensor[] {RingTensor.of(raw, n)},
                (p, x) -> wide.applyScaled(p, x[0], INPUT_BITS, 768e3, "test", "input", false).value())
                .cost().forLabel("inv-sqrt");
        long wideComparisons = (long) n * wide.comparisonsPerElement();
        assertEquals(3, s.rounds());
        assertEquals(cmp.onlineBytes(wideComparisons, wide.comparisonsPerElement(), wide.comparisonsPerElement()), s.onlineBytes());
        assertEquals(DigitComparison.dealerBytes(wideComparisons, 32, wide.comparisonsPerElement(), 10, wide.comparisonsPerElement()), s.dealerBytes());
    }

    /**
     * Outside the range the result stays bounded: above U (up to 16 U) it is held at the top's
     * value (within one segment, 2^(1/64) in 1/sqrt), below L it follows the first line, between
     * the value at L and 1.5 times it.
     */
    @Test
    void saturatesAboveTheRangeAndStaysBoundedBelowIt() {
        InverseSqrt inv = new InverseSqrt(1000);
        double u = 1000;
        double l = u / 1000;
        double[] above = {1.5 * u, 4 * u, 10 * u, 15.9 * u};
        double[] below = {0, l / 10, l / 2};
        Mpc.Run r = Mpc.run(Mpc.concat(above, below), new int[] {7}, (p, s) -> inv.apply(p, s, u));
        for (int i = 0; i < above.length; i++) {
            double scaled = r.output()[i] * Math.sqrt(u);
            assertTrue(scaled >= Math.pow(2, -1.0 / 64) - 1e-3 && scaled <= 1 + 1e-3, "x = " + above[i] + ": " + r.output()[i]);
        }
        for (int i = 0; i < below.length; i++) {
            double scaled = r.output()[above.length + i] * Math.sqrt(l);
            assertTrue(scaled >= 1 - 1e-3 && scaled <= 1.51, "x = " + below[i] + ": " + r.output()[above.length + i]);
        }
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
