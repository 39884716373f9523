package dev.secformer.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.secformer.core.RingTensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CryptenComparisonTest {
    private final CryptenComparison cmp = new CryptenComparison();

    @Test
    void signOfAnyRingElement() {
        SplittableRandom rnd = new SplittableRandom(12);
        long[] x = new long[5000];
        long[] edges = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, 1L << 62, -(1L << 62), 1L << 31, -(1L << 31)};
        System.arraycopy(edges, 0, x, 0, edges.length);
        for (int i = edges.length; i < x.length; i++) {
            x[i] = i % 2 == 0 ? rnd.nextLong() : rnd.nextLong() >> rnd.nextInt(64);
        }
        long[] got = Mpc.run(new RingTensor[] {RingTensor.of(x, x.length)}, (p, xs) -> cmp.lessThanZero(p, xs[0])).raw().data();
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] < 0 ? 1 : 0, got[i], "element " + i + " = " + x[i]);
        }
    }

    @Test
    void costMatchesTheFormula() {
        int n = 100;
        Mpc.Run r = Mpc.run(new RingTensor[] {RingTensor.zeros(n)}, (p, xs) -> cmp.lessThanZero(p, xs[0]));
        assertEquals(8, cmp.rounds());
        assertEquals(cmp.rounds(), r.cost().total().rounds());
        assertEquals(2L * (CryptenComparison.GATES * 16 * n + (n + 7) / 8), r.cost().total().onlineBytes());
        assertEquals(8L * (CryptenComparison.GATES + 1) * n,
                r.cost().total().dealerBytes() - r.cost().byPath().get("setup").dealerBytes());
    }
}
