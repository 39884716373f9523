package dev.secformer.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.secformer.core.CostReport;
import dev.secformer.core.TwoPartyException;

class NewtonReciprocalTest {
    private final NewtonReciprocal reciprocal = new NewtonReciprocal();

    private static void assertAccurate(double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            double q = Mpc.quantized(x[i]);
            double err = Math.abs(y[i] - 1 / q);
            double bound = 1e-4 / q + Math.scalb(1.0, -15);
            assertTrue(err <= bound, "x = " + q + ": 1/x = " + 1 / q + ", got " + y[i]);
        }
    }

    @Test
    void documentedDomain() {
        assertEquals(480.0, reciprocal.maxInput());
        assertTrue(reciprocal.minInput() > 0.0023 && reciprocal.minInput() < 0.0025, "min " + reciprocal.minInput());
        assertEquals(29, reciprocal.rounds());
    }

    @Test
    void accurateOverADenseGridOfTheDomain() {
        double[] x = Mpc.concat(Mpc.geomspace(0.0025, 480, 3000), new double[] {0.0025, 1, 128, 479.99});
        assertAccurate(x, Mpc.run(x, new int[] {x.length}, reciprocal::apply).output());
    }

    @Test
    void accurateOnRandomSoftmaxDenominators() {
        Random rnd = new Random(11);
        double[] x = new double[2048];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1 + 479 * rnd.nextDouble();
        }
        assertAccurate(x, Mpc.run(x, new int[] {32, 64}, reciprocal::apply).output());
    }

    @Test
    void nineSquaringsReachSoftmaxDenominatorsOfLongRows() {
        NewtonReciprocal wide = new NewtonReciprocal(10, new LimitExp(9));
        assertEquals(600.0, wide.maxInput());
        assertEquals(30, wide.rounds());
        double[] x = Mpc.concat(Mpc.linspace(1, 600, 1200), new double[] {512, 600});
        assertAccurate(x, Mpc.run(x, new int[] {x.length}, wide::apply).output());
    }

    @Test
    void costMatchesTheFormula() {
        int n = 500;
        double[] x = Mpc.linspace(1, 100, n);
        CostReport c = Mpc.run(x, new int[] {n}, reciprocal::apply).cost();
        CostReport.Entry all = c.forLabel("reciprocal");
        assertEquals(29, all.rounds());
        assertEquals((16L * 8 + 64L * 10 + 16) * n, all.onlineBytes());
        assertEquals((32L * 8 + 64L * 10 + 16) * n, all.dealerBytes());
        assertEquals(8, c.forLabel("exp").rounds(), "the exponential's last truncation joins the first product");
    }

    @Test
    void checkModeRejectsNonPositiveDivisors() {
        Mpc.withRangeCheck(() -> {
            for (double bad : new double[] {0, -3, 1000}) {
                TwoPartyException e = assertThrows(TwoPartyException.class,
                        () -> Mpc.run(new double[] {2, bad}, new int[] {2}, reciprocal::apply));
                assertTrue(e.getCause().getMessage().contains("NewtonReciprocal"), e.getCause().getMessage());
            }
            assertAccurate(new double[] {1, 480}, Mpc.run(new double[] {1, 480}, new int[] {2}, reciprocal::apply).output());
        });
    }
}
