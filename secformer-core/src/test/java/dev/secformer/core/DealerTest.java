package dev.secformer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DealerTest {
    private final Dealer dealer = new Dealer();
    private final CostMeter meter0 = new CostMeter();
    private final CostMeter meter1 = new CostMeter();
    private final SeededRandomness p0 = new SeededRandomness(0, dealer.seedFor(0), dealer.persistentSeedFor(0), null, meter0);
    private final SeededRandomness p1 = new SeededRandomness(1, dealer.seedFor(1), dealer.persistentSeedFor(1), dealer, meter1);

    private static long[] sum(long[] a, long[] b) {
        long[] r = new long[a.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = a[i] + b[i];
        }
        return r;
    }

    @Test
    void triplesReconstructToProductsAndAreFresh() {
        long[][] s0 = p0.draw(Correlations.triple(1000));
        long[][] s1 = p1.draw(Correlations.triple(1000));
        long[] a = sum(s0[0], s1[0]);
        long[] b = sum(s0[1], s1[1]);
        long[] c = sum(s0[2], s1[2]);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i] * b[i], c[i]);
        }
        long[] again = sum(p0.draw(Correlations.triple(1000))[0], p1.draw(Correlations.triple(1000))[0]);
        assertFalse(Arrays.equals(a, again), "a mask must never repeat");
        assertEquals(0, meter0.total().dealerBytes(), "party 0 receives nothing but its seed");
        assertEquals(2 * 8 * 1000, meter1.total().dealerBytes(), "party 1 receives only the corrections of c");
    }

    @Test
    void matrixTriplesAndSquares() {
        long[][] s0 = p0.draw(Correlations.matmulTriple(2, 3, 4, 5, false, true));
        long[][] s1 = p1.draw(Correlations.matmulTriple(2, 3, 4, 5, false, true));
        RingTensor a = RingTensor.of(sum(s0[0], s1[0]), 2, 3, 4);
        RingTensor b = RingTensor.of(sum(s0[1], s1[1]), 2, 5, 4);
        assertEquals(a.matmul(b, false, true), RingTensor.of(sum(s0[2], s1[2]), 2, 3, 5));
        long[][] q0 = p0.draw(Correlations.square(10));
        long[][] q1 = p1.draw(Correlations.square(10));
        long[] r = sum(q0[0], q1[0]);
        long[] r2 = sum(q0[1], q1[1]);
        for (int i = 0; i < r.length; i++) {
            assertEquals(r[i] * r[i], r2[i]);
        }
    }

    @Test
    void persistentMasksRecurAndDealerOnlyPartsAreNotDrawn() {
        long[] b = sum(p0.draw(Correlations.weightMask(6, 9))[0], p1.draw(Correlations.weightMask(6, 9))[0]);
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> p0.draw(Correlations.weightMask(6, 9)));
        assertTrue(twice.getMessage().contains("persistent part 9 drawn twice in one session"), twice.getMessage());
        assertFalse(Arrays.equals(b, sum(p0.draw(Correlations.weightMask(6, 10))[0], p1.draw(Correlations.weightMask(6, 10))[0])));
        long[][] t0 = p0.draw(Correlations.weightTriple(2, 3, 2, 9));
        long[][] t1 = p1.draw(Correlations.weightTriple(2, 3, 2, 9));
        assertEquals(null, t0[1]);
        RingTensor a = RingTensor.of(sum(t0[0], t1[0]), 2, 3);
        assertEquals(a.matmul(RingTensor.of(b, 3, 2)), RingTensor.of(sum(t0[2], t1[2]), 2, 2));
    }

    @Test
    void sessionsOfOneModelLoadShareTheWeightMasksButNothingFresh() {
        PersistentMasks load = PersistentMasks.fresh();
        long[][] b = new long[2][];
        long[][] a = new long[2][];
        for (int s = 0; s < 2; s++) {
            Dealer d = new Dealer(Prg.freshSeed(), Prg.freshSeed(), load);
            SeededRandomness q0 = new SeededRandomness(0, d.seedFor(0), d.persistentSeedFor(0), null, new CostMeter());
            SeededRandomness q1 = new SeededRandomness(1, d.seedFor(1), d.persistentSeedFor(1), d, new CostMeter());
            b[s] = sum(q0.draw(Correlations.weightMask(6, 9))[0], q1.draw(Correlations.weightMask(6, 9))[0]);
            long[][] t0 = q0.draw(Correlations.weightTriple(2, 3, 2, 9));
            long[][] t1 = q1.draw(Correlations.weightTriple(2, 3, 2, 9));
            a[s] = sum(t0[0], t1[0]);
            assertEquals(RingTensor.of(a[s], 2, 3).matmul(RingTensor.of(b[s], 3, 2)), RingTensor.of(sum(t0[2], t1[2]), 2, 2),
                    "the dealer's C = A B uses the model load's mask B");
        }
        assertArrayEquals(b[0], b[1], "a weight's mask is the same in every session of the model load");
        assertFalse(Arrays.equals(a[0], a[1]), "fresh masks differ between sessions");
    }

    @Test
    void xorSharedPartsCombineByXor() {
        Correlation bits = new BasicCorrelation("test-bits", new long[0], List.of(Correlation.RandomPart.fresh(4)),
                List.of(Correlation.DerivedPart.xor(4)), r -> new long[][] {Arrays.stream(r[0]).map(v -> ~v).toArray()});
        long[][] s0 = p0.draw(bits);
        long[][] s1 = p1.draw(bits);
        long[] r = sum(s0[0], s1[0]);
        for (int i = 0; i < 4; i++) {
            assertEquals(~r[i], s0[1][i] ^ s1[1][i]);
        }
    }

    @Test
    void registryRebuildsCoreRecipesAndRejectsUnknownOnes() {
        Correlation c = CorrelationRegistry.create("matmul", new long[] {1, 2, 3, 4, 0, 1});
        assertEquals(List.of(6, 12), c.randomParts().stream().map(Correlation.RandomPart::size).toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CorrelationRegistry.create("nonsense", new long[0]));
        assertEquals("unknown correlation kind \"nonsense\"", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CorrelationRegistry.create("triple", new long[0]));
    }
}
