package dev.secformer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The offline / online split of a session: plans recorded once, correlations prepared ahead and used once. */
class PreparedRunTest {
    private final SplittableRandom rnd = new SplittableRandom(5);
    private final TwoPartyRuntime runtime = new TwoPartyRuntime();

    private final RingTensor w = TestTensors.random(rnd, 8, 6);
    private final RingTensor x = TestTensors.random(rnd, 4, 8);
    private final RingTensor y = TestTensors.random(rnd, 4, 8);
    private final RingTensor[] ws = Sharing.split(w, Prg.fresh());
    private final RingTensor[] xs = Sharing.split(x, Prg.fresh());
    private final RingTensor[] ys = Sharing.split(y, Prg.fresh());

    /** A product with a fixed weight, an elementwise product and a square in one round, then a matrix product. */
    private static RingTensor[] program(Party p, FixedWeight weight, RingTensor xShare, RingTensor yShare) {
        SharedTensor sx = new SharedTensor(p.id(), xShare);
        SharedTensor sy = new SharedTensor(p.id(), yShare);
        p.dealer().draw(Correlations.mask(5)); // a recipe without derived parts must not desynchronise the dealer
        ProductBatch b = new ProductBatch(p);
        b.matmulWeight(sx, weight);
        b.mul(sx, sy);
        b.square(sy);
        SharedTensor[] r;
        try (var ph = p.phase("products")) {
            r = b.run();
        }
        SharedTensor xyt;
        try (var ph = p.phase("matmul")) {
            xyt = Beaver.matmul(p, sx, sy, false, true);
        }
        return new RingTensor[] {r[0].share(), r[1].share(), r[2].share(), xyt.share()};
    }

    private void checkOutputs(TwoPartyRuntime.Result<RingTensor[]> r) {
        assertEquals(x.matmul(w), Sharing.reconstruct(r.party0()[0], r.party1()[0]));
        assertEquals(x.mul(y), Sharing.reconstruct(r.party0()[1], r.party1()[1]));
        assertEquals(y.mul(y), Sharing.reconstruct(r.party0()[2], r.party1()[2]));
        assertEquals(x.matmul(y, false, true), Sharing.reconstruct(r.party0()[3], r.party1()[3]));
    }

    private FixedWeight[] load(TwoPartyRuntime.Session s) {
        FixedWeight[] weights = new FixedWeight[2];
        s.run(p -> weights[p.id()] = FixedWeight.prepareAll(p, new SharedTensor[] {new SharedTensor(p.id(), ws[p.id()])},
                new long[] {3})[0]);
        return weights;
    }

    @Test
    void preparedRunsComputeWhatTheRecordingRunComputedAtTheSameOnlineCost() {
        try (TwoPartyRuntime.Session s = runtime.openSession()) {
            FixedWeight[] weights = load(s);
            var cold = s.run("plan", p -> program(p, weights[p.id()], xs[p.id()], ys[p.id()]));
            checkOutputs(cold);
            assertFalse(cold.prepared());
            assertEquals(0, cold.cost().total().offlineNanos());
            long nanos = s.prepare("plan", 2);
            assertTrue(nanos > 0);
            assertEquals(2, s.preparedRuns("plan"));
            for (int run = 0; run < 3; run++) { // two prepared ahead, the third prepared on demand
                var warm = s.run("plan", p -> program(p, weights[p.id()], xs[p.id()], ys[p.id()]));
                checkOutputs(warm);
                assertTrue(warm.prepared());
                assertTrue(warm.offlineNanos() > 0);
                assertEquals(cold.cost().total().onlineBytes(), warm.cost().total().onlineBytes());
                assertEquals(cold.cost().total().rounds(), warm.cost().total().rounds());
                assertEquals(cold.dealerBytes(), warm.dealerBytes(), "the same corrections, sent ahead");
                assertEquals(cold.cost().forLabel("products").dealerBytes(), warm.cost().forLabel("products").dealerBytes(),
                        "offline dealer bytes are charged to the phase that uses them");
                assertTrue(warm.cost().forLabel("matmul").offlineNanos() > 0);
            }
            assertEquals(0, s.preparedRuns("plan"));
        }
    }

    @Test
    void everyPreparedRunOpensDifferentlyMaskedValues() {
        try (TwoPartyRuntime.Session s = runtime.openSession()) {
            FixedWeight[] weights = load(s);
            s.run("plan", p -> program(p, weights[p.id()], xs[p.id()], ys[p.id()]));
            s.prepare("plan", 2);
            List<byte[]> first = openings(s, weights);
            List<byte[]> second = openings(s, weights);
            assertEquals(first.size(), second.size());
            for (int i = 0; i < first.size(); i++) {
                assertFalse(Arrays.equals(first.get(i), second.get(i)), "opening " + i + " reused a mask");
            }
        }
    }

    /** What party 0 received in one prepared run of the same input. */
    private List<byte[]> openings(TwoPartyRuntime.Session s, FixedWeight[] weights) {
        byte[][][] seen = new byte[1][][];
        s.run("plan", p -> {
            AbstractChannel ch = (AbstractChannel) p.channel();
            ch.recordTranscript(true);
            RingTensor[] out = program(p, weights[p.id()], xs[p.id()], ys[p.id()]);
            if (p.id() == 0) {
                seen[0] = ch.transcript().stream().map(AbstractChannel.Message::received).toArray(byte[][]::new);
            }
            ch.recordTranscript(false);
            return out;
        });
        return List.of(seen[0]);
    }

    @Test
    void twoWeightsUnderOneKeyAreRefused() {
        TwoPartyException e = assertThrows(TwoPartyException.class, () -> runtime.run(p -> FixedWeight.prepareAll(p,
                new SharedTensor[] {new SharedTensor(p.id(), ws[p.id()]), new SharedTensor(p.id(), ws[p.id()].neg())},
                new long[] {3, 3})));
        assertTrue(e.getCause().getMessage().contains("persistent part 3 drawn twice"), e.getCause().getMessage());
    }

    @Test
    void aRunThatLeavesItsPlanFailsNamingTheDraw() {
        try (TwoPartyRuntime.Session s = runtime.openSession()) {
            s.run("plan", p -> Beaver.mul(p, p.sharePublic(x), p.sharePublic(y)).share());
            TwoPartyException e = assertThrows(TwoPartyException.class,
                    () -> s.run("plan", p -> Beaver.square(p, p.sharePublic(x)).share()));
            assertTrue(e.getCause().getMessage().contains("left its plan at draw 0"), e.getCause().getMessage());
            assertTrue(e.getCause().getMessage().contains("square[32]"), e.getCause().getMessage());
        }
    }

    @Test
    void aRunThatDrawsLessThanItsPlanIsAnError() {
        try (TwoPartyRuntime.Session s = runtime.openSession()) {
            s.run("plan", p -> Beaver.square(p, Beaver.mul(p, p.sharePublic(x), p.sharePublic(y))).share());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> s.run("plan", p -> Beaver.mul(p, p.sharePublic(x), p.sharePublic(y)).share()));
            assertTrue(e.getMessage().contains("drew 1 of its plan's 2"), e.getMessage());
        }
    }

    @Test
    void preparingAnUnknownPlanIsAnError() {
        try (TwoPartyRuntime.Session s = runtime.openSession()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.prepare("never run", 1));
            assertTrue(e.getMessage().contains("run it once first"), e.getMessage());
        }
    }

    @Test
    void aDrawWithoutDerivedPartsKeepsTheInlineDealerInStep() {
        var r = runtime.run(p -> {
            p.dealer().draw(Correlations.mask(7));
            return Beaver.mul(p, p.sharePublic(x), p.sharePublic(y)).share();
        });
        assertEquals(x.mul(y), Sharing.reconstruct(r.party0(), r.party1()));
    }

    @Test
    void childSeedsDifferPerIndexAndFromTheParent() {
        byte[] seed = Prg.freshSeed();
        assertEquals(Prg.SEED_BYTES, Prg.childSeed(seed, 0).length);
        assertFalse(Arrays.equals(Prg.childSeed(seed, 0), Prg.childSeed(seed, 1)));
        assertFalse(Arrays.equals(seed, Prg.childSeed(seed, 0)));
        assertTrue(Arrays.equals(Prg.childSeed(seed, 4), Prg.childSeed(seed, 4)));
        assertNotEquals(new Prg(Prg.childSeed(seed, 0)).nextLong(), new Prg(seed).nextLong());
    }
}
