package dev.secformer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Beaver products against plaintext ring arithmetic, with their exact costs. */
class BeaverTest {
    private final SplittableRandom rnd = new SplittableRandom(11);
    private final TwoPartyRuntime runtime = new TwoPartyRuntime();

    private static RingTensor open(TwoPartyRuntime.Result<RingTensor> r) {
        return Sharing.reconstruct(r.party0(), r.party1());
    }

    @Test
    void shareAndReconstructIsTheIdentity() {
        RingTensor x = TestTensors.random(rnd, 5, 7);
        RingTensor[] s = Sharing.split(x, Prg.fresh());
        assertEquals(x, Sharing.reconstruct(s[0], s[1]));
        RingTensor[] again = Sharing.split(x, Prg.fresh());
        assertTrue(!s[0].equals(again[0]), "fresh shares must differ");
    }

    @Test
    void productsAreExactModulo2To64IncludingOverflow() {
        RingTensor x = TestTensors.random(rnd, 6, 9);
        RingTensor y = TestTensors.random(rnd, 6, 9);
        RingTensor w = TestTensors.random(rnd, 9, 4);
        RingTensor[] xs = Sharing.split(x, Prg.fresh());
        RingTensor[] ys = Sharing.split(y, Prg.fresh());
        RingTensor[] ws = Sharing.split(w, Prg.fresh());
        var mul = runtime.run(p -> Beaver.mul(p, new SharedTensor(p.id(), xs[p.id()]), new SharedTensor(p.id(), ys[p.id()])).share());
        assertEquals(x.mul(y), open(mul));
        var sq = runtime.run(p -> Beaver.square(p, new SharedTensor(p.id(), xs[p.id()])).share());
        assertEquals(x.mul(x), open(sq));
        var mm = runtime.run(p -> Beaver.matmul(p, new SharedTensor(p.id(), xs[p.id()]), new SharedTensor(p.id(), ws[p.id()])).share());
        assertEquals(x.matmul(w), open(mm));
        var mmT = runtime.run(p -> Beaver.matmul(p, new SharedTensor(p.id(), xs[p.id()]),
                new SharedTensor(p.id(), ys[p.id()]), false, true).share());
        assertEquals(x.matmul(y, false, true), open(mmT));
    }

    @Test
    void batchedMatmulAndSharedWeightProducts() {
        RingTensor q = TestTensors.random(rnd, 3, 5, 4);
        RingTensor k = TestTensors.random(rnd, 3, 5, 4);
        RingTensor[] qs = Sharing.split(q, Prg.fresh());
        RingTensor[] ks = Sharing.split(k, Prg.fresh());
        var r = runtime.run(p -> Beaver.matmul(p, new SharedTensor(p.id(), qs[p.id()]),
                new SharedTensor(p.id(), ks[p.id()]), false, true).share());
        assertEquals(q.matmul(k, false, true), open(r));
    }

    @Test
    void oneMatmulCostsEightTimesOperandSizesPerPartyAndOneRound() {
        int m = 7, k = 5, n = 3;
        RingTensor[] xs = Sharing.split(TestTensors.random(rnd, m, k), Prg.fresh());
        RingTensor[] ys = Sharing.split(TestTensors.random(rnd, k, n), Prg.fresh());
        var r = runtime.run(p -> {
            try (var ph = p.phase("mm")) {
                return Beaver.matmul(p, new SharedTensor(p.id(), xs[p.id()]), new SharedTensor(p.id(), ys[p.id()])).share();
            }
        });
        CostReport.Entry e = r.cost().byPath().get("mm");
        assertEquals(2L * 8 * (m * k + k * n), e.onlineBytes(), "both parties send 8(mk + kn) bytes");
        assertEquals(1, e.rounds());
        assertEquals(8L * m * n, e.dealerBytes(), "party 1 receives the correction of C only");
        assertEquals(4L * Prg.SEED_BYTES + 8L * m * n, r.dealerBytes()); // session and persistent seeds
    }

    @Test
    void aBatchOfProductsTakesOneRound() {
        RingTensor x = TestTensors.random(rnd, 10);
        RingTensor y = TestTensors.random(rnd, 10);
        RingTensor[] xs = Sharing.split(x, Prg.fresh());
        RingTensor[] ys = Sharing.split(y, Prg.fresh());
        var r = runtime.run(p -> {
            SharedTensor sx = new SharedTensor(p.id(), xs[p.id()]);
            SharedTensor sy = new SharedTensor(p.id(), ys[p.id()]);
            ProductBatch b = new ProductBatch(p);
            b.mul(sx, sy);
            b.square(sy);
            b.matmul(sx.reshape(2, 5), sy.reshape(5, 2), false, false);
            SharedTensor[] out = b.run();
            return new RingTensor[] {out[0].share(), out[1].share(), out[2].share()};
        });
        assertEquals(x.mul(y), r.party0()[0].add(r.party1()[0]));
        assertEquals(y.mul(y), r.party0()[1].add(r.party1()[1]));
        assertEquals(x.reshape(2, 5).matmul(y.reshape(5, 2)), r.party0()[2].add(r.party1()[2]));
        assertEquals(1, r.cost().total().rounds());
        assertEquals(2L * 8 * (10 + 10 + 10 + 10 + 10), r.cost().total().onlineBytes());
    }

    @Test
    void fixedWeightOpensItsMaskOnceAndThenOnlyTheInput() {
        FixedPoint fp = FixedPoint.standard();
        RingTensor w = TestTensors.randomFixed(rnd, fp, 2, 8, 6);
        RingTensor x1 = TestTensors.randomFixed(rnd, fp, 2, 4, 8);
        RingTensor x2 = TestTensors.randomFixed(rnd, fp, 2, 2, 3, 8);
        RingTensor[] ws = Sharing.split(w, Prg.fresh());
        RingTensor[] x1s = Sharing.split(x1, Prg.fresh());
        RingTensor[] x2s = Sharing.split(x2, Prg.fresh());
        var r = runtime.run(p -> {
            FixedWeight fw;
            try (var ph = p.phase("load")) {
                fw = FixedWeight.prepareAll(p, new SharedTensor[] {new SharedTensor(p.id(), ws[p.id()])}, new long[] {42})[0];
            }
            try (var ph = p.phase("infer")) {
                ProductBatch b = new ProductBatch(p);
                b.matmulWeight(new SharedTensor(p.id(), x1s[p.id()]), fw);
                b.matmulWeight(new SharedTensor(p.id(), x2s[p.id()]), fw);
                SharedTensor[] out = b.run();
                return new RingTensor[] {out[0].share(), out[1].share()};
            }
        });
        assertEquals(x1.matmul(w), r.party0()[0].add(r.party1()[0]));
        assertEquals(x2.matmul(w), r.party0()[1].add(r.party1()[1]));
        assertEquals(2L * 8 * 48, r.cost().byPath().get("load").onlineBytes());
        CostReport.Entry infer = r.cost().byPath().get("infer");
        assertEquals(2L * 8 * (32 + 48), infer.onlineBytes(), "only x - a is opened");
        assertEquals(1, infer.rounds());
        assertEquals(8L * (24 + 36), infer.dealerBytes());
    }

    @Test
    void aSessionKeepsPreparedWeightsAcrossRunsWithPerRunCosts() {
        FixedPoint fp = FixedPoint.standard();
        RingTensor w = TestTensors.randomFixed(rnd, fp, 2, 8, 6);
        RingTensor x = TestTensors.randomFixed(rnd, fp, 2, 4, 8);
        RingTensor[] ws = Sharing.split(w, Prg.fresh());
        RingTensor[] xs = Sharing.split(x, Prg.fresh());
        try (TwoPartyRuntime.Session s = runtime.openSession()) {
            FixedWeight[][] prepared = new FixedWeight[2][];
            var load = s.run(p -> prepared[p.id()] = FixedWeight.prepareAll(p,
                    new SharedTensor[] {new SharedTensor(p.id(), ws[p.id()])}, new long[] {7}));
            assertEquals(2L * 8 * 48, load.cost().total().onlineBytes());
            assertEquals(4L * Prg.SEED_BYTES, load.dealerBytes()); // session and persistent seeds
            for (int run = 0; run < 3; run++) {
                var r = s.run(p -> {
                    ProductBatch b = new ProductBatch(p);
                    b.matmulWeight(new SharedTensor(p.id(), xs[p.id()]), prepared[p.id()][0]);
                    return b.run()[0].share();
                });
                assertEquals(x.matmul(w), open(r));
                assertEquals(2L * 8 * 32, r.cost().total().onlineBytes());
                assertEquals(8L * 24, r.dealerBytes());
                assertEquals(1, r.cost().total().rounds());
            }
        }
    }

    @Test
    void fixedPointProductIsWithinTwoUlps() {
        FixedPoint fp = FixedPoint.standard();
        RingTensor x = TestTensors.randomFixed(rnd, fp, 100, 2000);
        RingTensor y = TestTensors.randomFixed(rnd, fp, 100, 2000);
        RingTensor[] xs = Sharing.split(x, Prg.fresh());
        RingTensor[] ys = Sharing.split(y, Prg.fresh());
        var r = runtime.run(p -> Beaver.mulFixed(p, new SharedTensor(p.id(), xs[p.id()]), new SharedTensor(p.id(), ys[p.id()])).share());
        double[] got = fp.decode(open(r));
        double[] xd = fp.decode(x);
        double[] yd = fp.decode(y);
        for (int i = 0; i < got.length; i++) {
            assertEquals(xd[i] * yd[i], got[i], 2.0 / fp.one(), "element " + i);
        }
    }

    @Test
    void fixedPointMatmulIsWithinKUlps() {
        FixedPoint fp = FixedPoint.standard();
        RingTensor x = TestTensors.randomFixed(rnd, fp, 4, 16, 32);
        RingTensor w = TestTensors.randomFixed(rnd, fp, 4, 32, 8);
        RingTensor[] xs = Sharing.split(x, Prg.fresh());
        RingTensor[] ws = Sharing.split(w, Prg.fresh());
        var r = runtime.run(p -> Beaver.matmulFixed(p, new SharedTensor(p.id(), xs[p.id()]), new SharedTensor(p.id(), ws[p.id()])).share());
        double[] got = fp.decode(open(r));
        double[] xd = fp.decode(x);
        double[] wd = fp.decode(w);
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 8; j++) {
                double expect = 0;
                for (int t = 0; t < 32; t++) {
                    expect += xd[i * 32 + t] * wd[t * 8 + j];
                }
                assertEquals(expect, got[i * 8 + j], 2.0 / fp.one());
            }
        }
        assertArrayEquals(new int[] {16, 8}, r.party0().shape());
    }

    /**
     * What party 0 learns from a Beaver round, x - a and y - b for products, squares and a matrix
     * product, is uniform whatever the inputs (constant ones here): chi-square of its low and high
     * bytes, 255 degrees of freedom, 380 beyond 5 standard deviations.
     */
    @Test
    void openedDifferencesAreUniformWhateverTheInputs() {
        int n = 40_000;
        RingTensor x = RingTensor.filled(7L << 16, n);
        RingTensor y = RingTensor.filled(-3L << 16, n);
        RingTensor w = RingTensor.filled(1L << 40, 200, 1);
        RingTensor[] xs = Sharing.split(x, Prg.fresh());
        RingTensor[] ys = Sharing.split(y, Prg.fresh());
        RingTensor[] ws = Sharing.split(w, Prg.fresh());
        var r = runtime.run(p -> {
            AbstractChannel ch = (AbstractChannel) p.channel();
            ch.recordTranscript(true);
            ProductBatch b = new ProductBatch(p);
            SharedTensor sx = new SharedTensor(p.id(), xs[p.id()]);
            b.mul(sx, new SharedTensor(p.id(), ys[p.id()]));
            b.square(sx);
            b.matmul(sx.reshape(n / 200, 200), new SharedTensor(p.id(), ws[p.id()]), false, false);
            b.run();
            return ch.transcript().get(0);
        });
        int total = (int) (r.party0().sent().length / 8);
        long[] opened = Wire.unpack(r.party0().sent(), total, 64);
        long[] theirs = Wire.unpack(r.party0().received(), total, 64);
        for (int i = 0; i < total; i++) {
            opened[i] += theirs[i];
        }
        assertEquals(4L * n + 200, total, "x - a and y - b, x - a, X - A and W - B");
        assertTrue(ChiSquare.of(opened, 0, 8) < 380, "low byte: " + ChiSquare.of(opened, 0, 8));
        assertTrue(ChiSquare.of(opened, 56, 8) < 380, "high byte: " + ChiSquare.of(opened, 56, 8));
        assertTrue(ChiSquare.of(x.data(), 16, 8) > 1e5, "the inputs themselves are far from uniform");
    }
}
