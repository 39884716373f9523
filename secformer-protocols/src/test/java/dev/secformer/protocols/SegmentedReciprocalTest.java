package dev.secformer.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.secformer.core.CostReport;
import dev.secformer.core.TwoPartyException;

/** The segmented reciprocal against plaintext reciprocals of the same fixed-point divisors, and its cost. */
class SegmentedReciprocalTest {

    /** Relative errors of the reciprocals of {@code y} with bounds {@code u}, from the scaled value. */
    private static double[] errors(SegmentedReciprocal rec, double[] y, double[] u) {
        return Mpc.reciprocalErrors(y, (p, s) -> rec.reciprocal(p, s, u));
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    /** The documented 8e-5: the line's 6e-5 and the roundings of u (2^-17) and of the result (2^-24 of 2^-7). */
    @Test
    void withinTheDocumentedErrorOverDenseGridsAndEdges() {
        for (double ratio : new double[] {1, 32, 1000}) {
            SegmentedReciprocal rec = new SegmentedReciprocal(ratio);
            for (double u : new double[] {1, 3000, 16384, 65536}) {
                double[] y = Mpc.concat(Mpc.geomspace(u / ratio, u, 3000), new double[] {u / ratio, u});
                double worst = Arrays.stream(errors(rec, y, filled(y.length, u))).max().orElseThrow();
                assertTrue(worst <= 8e-5, "ratio " + ratio + ", bound " + u + ": relative error " + worst);
            }
        }
    }

    /** 2Quad's denominators: rows of different lengths, so a bound per row, and an empty row (bound 0). */
    @Test
    void aBoundPerDivisorAndExactZeros() {
        SegmentedReciprocal rec = new SegmentedReciprocal(32);
        Random rnd = new Random(5);
        int n = 3000;
        double[] y = new double[n];
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            int keys = i % 7 == 0 ? 0 : 1 + rnd.nextInt(512);
            u[i] = 128.0 * keys;
            y[i] = keys * (4 + 124 * rnd.nextDouble());
        }
        double[] err = errors(rec, y, u);
        for (int i = 0; i < n; i++) {
            if (u[i] > 0) {
                assertTrue(err[i] <= 8e-5, "divisor " + y[i] + " of bound " + u[i] + ": relative error " + err[i]);
            }
        }
    }

    @Test
    void costMatchesTheFormula() {
        SegmentedReciprocal rec = new SegmentedReciprocal(32);
        int n = 300;
        double u = 1000;
        CostReport.Entry c = Mpc.run(Mpc.linspace(u / 32, u, n), new int[] {n},
                (p, s) -> rec.reciprocal(p, s, filled(n, u)).value()).cost().forLabel("reciprocal");
        int comparisons = rec.comparisonsPerDivisor();
        assertEquals(160, comparisons);
        assertEquals(4, c.rounds());
        assertEquals(rec.rounds(), c.rounds());
        assertEquals(new DigitComparison().onlineBytes((long) n * comparisons, comparisons, comparisons) + 16L * n, c.onlineBytes());
        // u = y / 2^tau at 16 bits, tau = floor(log2(1000 / 32)) = 4: y (16 bits) truncated by 4 on the way in
        assertEquals(DigitComparison.dealerBytes((long) n * comparisons, 32, comparisons, 4, comparisons) + 16L * n, c.dealerBytes());
    }

    /** Above U (up to 16 U) the reciprocal is held at 1/U (within 2^(1/32)); below L it stays under 2/L. */
    @Test
    void saturatesAboveTheRangeAndStaysBoundedBelowIt() {
        SegmentedReciprocal rec = new SegmentedReciprocal(32);
        double u = 4096;
        double l = u / 32;
        double[] y = {1.5 * u, 5 * u, 15.9 * u, 0, l / 4, l / 2};
        Mpc.Run r = Mpc.run(y, new int[] {y.length}, (p, s) -> rec.reciprocal(p, s, filled(y.length, u)).toFixedPoint(p, 24));
        for (int i = 0; i < 3; i++) {
            double scaled = Math.scalb(r.raw().data()[i], -24) * u;
            assertTrue(scaled >= Math.pow(2, -1.0 / 32) - 1e-3 && scaled <= 1 + 1e-3, "y = " + y[i] + ": " + scaled / u);
        }
        for (int i = 3; i < 6; i++) {
            double scaled = Math.scalb(r.raw().data()[i], -24) * l;
            assertTrue(scaled >= 1 - 1e-3 && scaled <= 2.01, "y = " + y[i] + ": " + scaled / l);
        }
    }

    @Test
    void checkModeReportsADivisorOutsideItsRange() {
        SegmentedReciprocal rec = new SegmentedReciprocal(10);
        Mpc.withRangeCheck(() -> {
            TwoPartyException e = assertThrows(TwoPartyException.class,
                    () -> Mpc.run(new double[] {5, 0.5}, new int[] {2}, (p, s) -> rec.reciprocal(p, s, filled(2, 10)).value()));
            String msg = e.getCause().getMessage();
            assertTrue(msg.contains("SegmentedReciprocal") && msg.contains("element 1"), msg);
        });
        assertThrows(IllegalArgumentException.class, () -> new SegmentedReciprocal(0.5));
    }
}
