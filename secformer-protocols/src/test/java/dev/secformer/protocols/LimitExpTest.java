package dev.secformer.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.secformer.core.CostReport;
import dev.secformer.core.TwoPartyException;

class LimitExpTest {
    private final LimitExp exp = new LimitExp();

    @Test
    void absoluteErrorOverTheSoftmaxDomain() {
        double[] x = Mpc.concat(Mpc.linspace(-256, -16, 241), Mpc.linspace(-16, 0, 1601));
        Mpc.Run r = Mpc.run(x, new int[] {x.length}, exp::apply);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double err = Math.abs(r.output()[i] - Math.exp(Mpc.quantized(x[i])));
            worst = Math.max(worst, err);
            if (x[i] <= -11) {
                assertTrue(err < 2e-5, "x = " + x[i] + ": error " + err);
            }
        }
        assertTrue(worst <= 8e-3, "largest absolute error " + worst);
    }

    @Test
    void relativeErrorNearZeroFollowsTheLimit() {
        Random rnd = new Random(7);
        double[] x = new double[2000];
        for (int i = 0; i < x.length; i++) {
            x[i] = -4 + 6 * rnd.nextDouble();
        }
        x[0] = -4;
        x[1] = 0;
        x[2] = 2;
        Mpc.Run r = Mpc.run(x, new int[] {40, 50}, exp::apply);
        for (int i = 0; i < x.length; i++) {
            double q = Mpc.quantized(x[i]);
            double rel = Math.abs(r.output()[i] / Math.exp(q) - 1);
            double bound = 1.1 * q * q / 512 + 7.9e-3;
            assertTrue(rel <= bound, "x = " + q + ": relative error " + rel + " > " + bound);
        }
    }

    @Test
    void costIsOneSquarePerRoundAndTheLastTruncation() {
        int n = 1000;
        double[] x = Mpc.linspace(-10, 0, n);
        for (int squarings : new int[] {8, 5}) {
            LimitExp e = new LimitExp(squarings);
            CostReport.Entry c = Mpc.run(x, new int[] {n}, e::apply).cost().forLabel("exp");
            assertEquals(squarings + 1, c.rounds());
            assertEquals(squarings + 1, e.rounds());
            assertEquals(16L * (squarings + 1) * n, c.onlineBytes());
            assertEquals((32L * squarings + 16) * n, c.dealerBytes());
        }
    }

    @Test
    void checkModeRejectsInputsOutsideTheDomain() {
        Mpc.withRangeCheck(() -> {
            TwoPartyException e = assertThrows(TwoPartyException.class,
                    () -> Mpc.run(new double[] {-1, -300}, new int[] {2}, exp::apply));
            assertTrue(e.getCause().getMessage().contains("LimitExp"), e.getCause().getMessage());
            assertTrue(e.getCause().getMessage().contains("-300"), e.getCause().getMessage());
            Mpc.run(new double[] {-256, 2}, new int[] {2}, exp::apply);
        });
    }

    @Test
    void rejectsBadSquaringCounts() {
        assertThrows(IllegalArgumentException.class, () -> new LimitExp(0));
        assertThrows(IllegalArgumentException.class, () -> new LimitExp(17));
    }
}
