package dev.secformer.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.secformer.core.CostReport;
import dev.secformer.core.TwoPartyException;

class NewtonInverseSqrtTest {
    private final NewtonInverseSqrt inv = new NewtonInverseSqrt();

    @Test
    void accuracyOverTheDomain() {
        double[] x = Mpc.concat(Mpc.geomspace(0.2, 150, 4000), new double[] {0.2, 150});
        Mpc.Run r = Mpc.run(x, new int[] {x.length}, inv::apply);
        double worst = 0;
        double at = 0;
        for (int i = 0; i < x.length; i++) {
            double want = 1 / Math.sqrt(Mpc.quantized(x[i]));
            double rel = Math.abs(r.output()[i] - want) / want;
            if (rel > worst) {
                worst = rel;
                at = x[i];
            }
        }
        assertTrue(worst <= 3.5e-3, "largest relative error " + worst + " at x = " + at);
        assertTrue(worst >= 1e-3, "CrypTen's three steps leave a visible error, got " + worst);
    }

    @Test
    void costMatchesTheFormula() {
        int n = 300;
        CostReport.Entry c = Mpc.run(Mpc.linspace(1, 100, n), new int[] {n}, inv::apply).cost().forLabel("newton-inv-sqrt");
        assertEquals(18, c.rounds());
        assertEquals(inv.rounds(), c.rounds());
        assertEquals((16L * 8 + 80L * 3 + 16) * n, c.onlineBytes());
        assertEquals((32L * 8 + 96L * 3 + 16) * n, c.dealerBytes());
    }

    @Test
    void checkModeRejectsInputsOutsideTheDomain() {
        Mpc.withRangeCheck(() -> {
            for (double bad : new double[] {0, 0.1, 300}) {
                TwoPartyException e = assertThrows(TwoPartyException.class,
                        () -> Mpc.run(new double[] {1, bad}, new int[] {2}, inv::apply));
                assertTrue(e.getCause().getMessage().contains("NewtonInverseSqrt"), e.getCause().getMessage());
            }
        });
    }
}
