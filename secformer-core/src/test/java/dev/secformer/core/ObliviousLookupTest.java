package dev.secformer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Oblivious row lookups against the plaintext table rows, their costs and their fresh openings. */
class ObliviousLookupTest {
    private final SplittableRandom rnd = new SplittableRandom(17);
    private final TwoPartyRuntime runtime = new TwoPartyRuntime();

    /** Rows {@code indices} of the shared {@code table}, looked up in a session that loaded it once. */
    private RingTensor lookUp(TwoPartyRuntime.Session s, LookupTable[] loaded, int[] indices, int rows) {
        RingTensor[] d = Sharing.split(ObliviousLookup.digits(indices, rows), Prg.fresh());
        var r = s.run("lookup", p -> {
            try (var ph = p.phase("lookup")) {
                ProductBatch b = new ProductBatch(p);
                b.add(ObliviousLookup.start(p, new SharedTensor(p.id(), d[p.id()]), loaded[p.id()]));
                return b.run()[0].share();
            }
        });
        return Sharing.reconstruct(r.party0(), r.party1());
    }

    private static LookupTable[] load(TwoPartyRuntime.Session s, RingTensor table) {
        RingTensor[] shares = Sharing.split(table, Prg.fresh());
        LookupTable[] loaded = new LookupTable[2];
        s.run(p -> loaded[p.id()] = LookupTable.prepare(p, new SharedTensor(p.id(), shares[p.id()]), 7));
        return loaded;
    }

    private static long[] rowsOf(RingTensor table, int[] indices) {
        int h = table.dim(1);
        long[] out = new long[indices.length * h];
        for (int t = 0; t < indices.length; t++) {
            System.arraycopy(table.data(), indices[t] * h, out, t * h, h);
        }
        return out;
    }

    @Test
    void returnsTheTableRowsExactlyForEveryDigitSplit() {
        for (int rows : new int[] {1, 2, 37, 300, 1024}) {
            RingTensor table = TestTensors.random(rnd, rows, 5);
            int[] indices = {0, rows - 1, rows / 2, rnd.nextInt(rows), rows - 1};
            try (TwoPartyRuntime.Session s = runtime.openSession()) {
                LookupTable[] loaded = load(s, table);
                assertArrayEquals(rowsOf(table, indices), lookUp(s, loaded, indices, rows).data(), rows + " rows");
            }
        }
    }

    @Test
    void preparedAheadGivesTheSameRowsAndOpensFreshValues() {
        RingTensor table = TestTensors.random(rnd, 300, 6);
        int[] indices = {5, 5, 299, 17};
        try (TwoPartyRuntime.Session s = runtime.openSession()) {
            LookupTable[] loaded = load(s, table);
            lookUp(s, loaded, indices, 300); // records the plan
            s.prepare("lookup", 2);
            byte[][] first = openings(s, loaded, indices);
            byte[][] second = openings(s, loaded, indices);
            assertEquals(2, first.length, "two rounds");
            for (int i = 0; i < first.length; i++) {
                assertFalse(Arrays.equals(first[i], second[i]), "round " + i + " reused a mask");
            }
            assertArrayEquals(rowsOf(table, indices), lookUp(s, loaded, indices, 300).data());
        }
    }

    /** What party 0 received in one prepared lookup. */
    private static byte[][] openings(TwoPartyRuntime.Session s, LookupTable[] loaded, int[] indices) {
        RingTensor[] d = Sharing.split(ObliviousLookup.digits(indices, 300), Prg.fresh());
        byte[][][] seen = new byte[1][][];
        s.run("lookup", p -> {
            AbstractChannel ch = (AbstractChannel) p.channel();
            ch.recordTranscript(true);
            try (var ph = p.phase("lookup")) {
                ProductBatch b = new ProductBatch(p);
                b.add(ObliviousLookup.start(p, new SharedTensor(p.id(), d[p.id()]), loaded[p.id()]));
                b.run();
            }
            if (p.id() == 0) {
                seen[0] = ch.transcript().stream().map(AbstractChannel.Message::received).toArray(byte[][]::new);
            }
            ch.recordTranscript(false);
            return null;
        });
        return seen[0];
    }

    @Test
    void costsTwoRoundsOfDigitsAndMaskedOneHotsAndTheDealerTermsOffline() {
        int rows = 300; // 9 bits: S1 = 16, S2 = 32
        int h = 6;
        int n = 4;
        RingTensor table = TestTensors.random(rnd, rows, h);
        RingTensor[] d = Sharing.split(ObliviousLookup.digits(new int[] {1, 2, 3, 4}, rows), Prg.fresh());
        try (TwoPartyRuntime.Session s = runtime.openSession()) {
            LookupTable[] loaded = load(s, table);
            var r = s.run(p -> {
                try (var ph = p.phase("lookup")) {
                    ProductBatch b = new ProductBatch(p);
                    b.add(ObliviousLookup.start(p, new SharedTensor(p.id(), d[p.id()]), loaded[p.id()]));
                    return b.run()[0].share();
                }
            });
            CostReport.Entry e = r.cost().byPath().get("lookup");
            assertEquals(2, e.rounds());
            assertEquals(2L * (Wire.pack(new long[2 * n], 5).length + 8L * n * (16 + 32)), e.onlineBytes(),
                    "digit offsets at 5 bits, then S1 + S2 masked words per index, from each party");
            assertEquals(8L * n * (16 + 32 + 16 * 32 + (16 + 32) * h + h), e.dealerBytes(),
                    "one-hots, a (x) b, alpha, beta and gamma corrections to party 1");
        }
    }

    /** Party 0's openings of one lookup call (mine plus the peer's share): the digit offsets, then the masked one-hots. */
    private static long[][] openedValues(LookupTable[] loaded, int[] indices, int rows) {
        RingTensor[] d = Sharing.split(ObliviousLookup.digits(indices, rows), Prg.fresh());
        var r = new TwoPartyRuntime().run(p -> {
            AbstractChannel ch = (AbstractChannel) p.channel();
            ch.recordTranscript(true);
            ProductBatch b = new ProductBatch(p);
            b.add(ObliviousLookup.start(p, new SharedTensor(p.id(), d[p.id()]), loaded[p.id()]));
            b.run();
            return ch.transcript();
        });
        int n = indices.length;
        int width = (1 << loaded[0].highBits()) + (1 << loaded[0].lowBits());
        int[] counts = {2 * n, n * width};
        int[] bits = {loaded[0].lowBits(), 64};
        long[][] out = new long[2][];
        for (int round = 0; round < 2; round++) {
            long[] mine = Wire.unpack(r.party0().get(round).sent(), counts[round], bits[round]);
            long[] theirs = Wire.unpack(r.party0().get(round).received(), counts[round], bits[round]);
            out[round] = new long[counts[round]];
            for (int i = 0; i < mine.length; i++) {
                out[round][i] = mine[i] + theirs[i];
            }
        }
        return out;
    }

    @Test
    void openedValuesAreUniformForOneIndexAskedManyTimes() {
        int rows = 300; // 5-bit low digit: S1 = 16, S2 = 32
        RingTensor table = TestTensors.random(rnd, rows, 2);
        int n = 8192;
        int[] same = new int[n];
        java.util.Arrays.fill(same, 257); // digits (8, 1)
        LookupTable[] loaded = new LookupTable[2];
        RingTensor[] shares = Sharing.split(table, Prg.fresh());
        long[][] opened;
        try (TwoPartyRuntime.Session s = runtime.openSession()) {
            s.run(p -> loaded[p.id()] = LookupTable.prepare(p, new SharedTensor(p.id(), shares[p.id()]), 7));
        }
        opened = openedValues(loaded, same, rows);
        // Digit offsets mod 32: 31 degrees of freedom (mean 31, sd 7.9), 75 is beyond 5 sd.
        for (int digit = 0; digit < 2; digit++) {
            double chi = ChiSquare.of(opened[0], 2, digit, 0, 5);
            assertTrue(chi < 75, "digit " + digit + " offsets not uniform: " + chi);
        }
        // The masked one-hots, the index's own position and another: 255 degrees of freedom, 380 beyond 5 sd.
        for (int column : new int[] {8, 16 + 1, 3}) {
            for (int shift : new int[] {0, 56}) {
                double chi = ChiSquare.of(opened[1], 48, column, shift, 8);
                assertTrue(chi < 380, "column " + column + ", bits from " + shift + ": " + chi);
            }
        }
        // The same statistic on the one-hot itself, unmasked, is far off.
        long[] oneHot = new long[n * 48];
        for (int t = 0; t < n; t++) {
            oneHot[t * 48 + 8] = 1;
        }
        assertTrue(ChiSquare.of(oneHot, 48, 8, 0, 8) > 1e5);
    }

    @Test
    void theDealerRebuildsTheRecipeFromItsParameters() {
        BasicCorrelation c = ObliviousLookup.correlation(3, 4, 5, 6, 99);
        Correlation rebuilt = CorrelationRegistry.create(c.kind(), c.parameters());
        assertEquals(c.randomParts(), rebuilt.randomParts());
        assertEquals(c.derivedParts(), rebuilt.derivedParts());
        assertThrows(IllegalArgumentException.class, () -> CorrelationRegistry.create("lookup", new long[] {3, 6, 5, 6, 99}),
                "the low digit must be at least as wide as the high one");
    }

    @Test
    void aClientIndexOutsideTheTableIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ObliviousLookup.digits(new int[] {3, 300}, 300));
        assertTrue(e.getMessage().contains("index 300 at position 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ObliviousLookup.digits(new int[] {-1}, 300));
    }
}
