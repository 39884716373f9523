package dev.secformer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Products with a left operand truncated on the way in: the truncated value is floor(raw / 2^k) or
 * one more, and each product is exactly that value times its partner (ring arithmetic), in one
 * round at the documented cost, with either truncation.
 */
class TruncatedProductsTest {
    private static final int N = 20_000;

    private static long[] uniform(SplittableRandom rnd, int bits) {
        long[] v = new long[N];
        for (int i = 0; i < N; i++) {
            v[i] = rnd.nextLong() >> (63 - bits);
        }
        return v;
    }

    private static void assertTruncated(long[] raw, int bits, long[] t) {
        for (int i = 0; i < raw.length; i++) {
            long diff = t[i] - (raw[i] >> bits);
            assertTrue(diff == 0 || diff == 1, "raw " + raw[i] + " truncated by " + bits + " to " + t[i]);
        }
    }

    private static RingTensor sum(RingTensor[] parts0, RingTensor[] parts1, int i) {
        return parts0[i].add(parts1[i]);
    }

    @Test
    void productsOfTheTruncatedOperandAreExact() {
        SplittableRandom rnd = new SplittableRandom(21);
        long[] raw = uniform(rnd, 61); // where the local truncation fails one time in 16
        RingTensor y1 = RingTensor.of(uniform(rnd, 40), N);
        RingTensor y2 = RingTensor.of(uniform(rnd, 63), N);
        RingTensor[] r = Sharing.split(RingTensor.of(raw, N), Prg.fresh());
        RingTensor[] s1 = Sharing.split(y1, Prg.fresh());
        RingTensor[] s2 = Sharing.split(y2, Prg.fresh());
        var run = new TwoPartyRuntime().run(p -> {
            try (var ph = p.phase("fused")) {
                ProductBatch b = new ProductBatch(p);
                int i = TruncatedProducts.mul(b, new SharedTensor(p.id(), r[p.id()]), 20,
                        TruncatedProducts.Operand.plain(new SharedTensor(p.id(), s1[p.id()])),
                        TruncatedProducts.Operand.plain(new SharedTensor(p.id(), s2[p.id()])));
                SharedTensor[] out = b.run();
                return new RingTensor[] {out[i].share(), out[i + 1].share(), out[i + 2].share()};
            }
        });
        RingTensor t = sum(run.party0(), run.party1(), 2);
        assertTruncated(raw, 20, t.data());
        assertEquals(t.mul(y1), sum(run.party0(), run.party1(), 0));
        assertEquals(t.mul(y2), sum(run.party0(), run.party1(), 1));
        CostReport.Entry e = run.cost().byPath().get("fused");
        assertEquals(1, e.rounds());
        assertEquals(2L * 8 * 3 * N, e.onlineBytes(), "E and two F, 8 bytes each per party");
        assertEquals((16L + 2 * 16) * N, e.dealerBytes(), "a0 and msb(A), then a0 b_j and msb(A) b_j per partner");
    }

    @Test
    void truncatedPartnersShareTheLeftOperandAndAreExact() {
        SplittableRandom rnd = new SplittableRandom(24);
        long[] raw = uniform(rnd, 61);
        long[] rawX = uniform(rnd, 50);
        long[] rawD = uniform(rnd, 62 - 1);
        RingTensor y = RingTensor.of(uniform(rnd, 40), N);
        RingTensor[] r = Sharing.split(RingTensor.of(raw, N), Prg.fresh());
        RingTensor[] xs = Sharing.split(RingTensor.of(rawX, N), Prg.fresh());
        RingTensor[] ds = Sharing.split(RingTensor.of(rawD, N), Prg.fresh());
        RingTensor[] ys = Sharing.split(y, Prg.fresh());
        var run = new TwoPartyRuntime().run(p -> {
            try (var ph = p.phase("fused")) {
                ProductBatch b = new ProductBatch(p);
                int i = TruncatedProducts.mul(b, new SharedTensor(p.id(), r[p.id()]), 22,
                        TruncatedProducts.Operand.truncated(new SharedTensor(p.id(), xs[p.id()]), 13),
                        TruncatedProducts.Operand.plain(new SharedTensor(p.id(), ys[p.id()])),
                        TruncatedProducts.Operand.truncated(new SharedTensor(p.id(), ds[p.id()]), 40));
                SharedTensor[] out = b.run();
                RingTensor[] mine = new RingTensor[7];
                for (int j = 0; j < 7; j++) {
                    mine[j] = out[i + j].share();
                }
                return mine;
            }
        });
        RingTensor t = sum(run.party0(), run.party1(), 3);
        RingTensor x = sum(run.party0(), run.party1(), 4);
        RingTensor d = sum(run.party0(), run.party1(), 6);
        assertTruncated(raw, 22, t.data());
        assertTruncated(rawX, 13, x.data());
        assertEquals(y, sum(run.party0(), run.party1(), 5), "a plain partner comes back as it was");
        assertTruncated(rawD, 40, d.data());
        assertEquals(t.mul(x), sum(run.party0(), run.party1(), 0));
        assertEquals(t.mul(y), sum(run.party0(), run.party1(), 1));
        assertEquals(t.mul(d), sum(run.party0(), run.party1(), 2));
        CostReport.Entry e = run.cost().byPath().get("fused");
        assertEquals(1, e.rounds());
        assertEquals(2L * 8 * 4 * N, e.onlineBytes(), "four openings of 8 bytes per party");
        assertEquals((16L + 48 + 16 + 48) * N, e.dealerBytes());
    }

    /** Partners with one value per row of the left operand: opened once per row, exact products. */
    @Test
    void perRowPartnersAreOpenedOncePerRow() {
        SplittableRandom rnd = new SplittableRandom(25);
        int rows = N / 8;
        long[] raw = uniform(rnd, 50);
        long[] rawR = new long[rows];
        long[] plainY = new long[rows];
        for (int i = 0; i < rows; i++) {
            rawR[i] = rnd.nextLong() >> 2; // |r| < 2^61, truncated by 36
            plainY[i] = rnd.nextLong() >> 44;
        }
        RingTensor[] r = Sharing.split(RingTensor.of(raw, rows, 8), Prg.fresh());
        RingTensor[] rr = Sharing.split(RingTensor.of(rawR, rows), Prg.fresh());
        RingTensor[] ys = Sharing.split(RingTensor.of(plainY, rows), Prg.fresh());
        var run = new TwoPartyRuntime().run(p -> {
            try (var ph = p.phase("fused")) {
                ProductBatch b = new ProductBatch(p);
                int i = TruncatedProducts.mul(b, new SharedTensor(p.id(), r[p.id()]), 20,
                        TruncatedProducts.Operand.perRow(new SharedTensor(p.id(), rr[p.id()]), 36),
                        TruncatedProducts.Operand.perRow(new SharedTensor(p.id(), ys[p.id()]), 0));
                SharedTensor[] out = b.run();
                RingTensor[] mine = new RingTensor[5];
                for (int j = 0; j < 5; j++) {
                    mine[j] = out[i + j].share();
                }
                return mine;
            }
        });
        RingTensor t = sum(run.party0(), run.party1(), 2);
        RingTensor u = sum(run.party0(), run.party1(), 3);
        assertTruncated(raw, 20, t.data());
        assertTruncated(rawR, 36, u.data());
        assertEquals(RingTensor.of(plainY, rows), sum(run.party0(), run.party1(), 4));
        long[] tu = sum(run.party0(), run.party1(), 0).data();
        long[] ty = sum(run.party0(), run.party1(), 1).data();
        for (int i = 0; i < N; i++) {
            assertEquals(t.data()[i] * u.data()[i / 8], tu[i], "t u, element " + i);
            assertEquals(t.data()[i] * plainY[i / 8], ty[i], "t y, element " + i);
        }
        CostReport.Entry e = run.cost().byPath().get("fused");
        assertEquals(1, e.rounds());
        assertEquals(2L * 8 * (N + 2 * rows), e.onlineBytes(), "E per element, the partners per row");
        assertEquals(16L * N + (16L * rows + 32L * N) + 16L * N, e.dealerBytes(),
                "a0 and msb(A); the truncated partner's parts per row and four cross terms; the plain one's two");
    }

    @Test
    void squaresOfTheTruncatedOperandAreExactForEveryShift() {
        SplittableRandom rnd = new SplittableRandom(22);
        long[] raw = uniform(rnd, 61);
        raw[0] = (1L << 62) - 1;
        raw[1] = -(1L << 62);
        RingTensor[] r = Sharing.split(RingTensor.of(raw, N), Prg.fresh());
        for (int bits : new int[] {0, 1, 16, 31, 32, 33, 62}) {
            var run = new TwoPartyRuntime().run(p -> {
                ProductBatch b = new ProductBatch(p);
                int i = TruncatedProducts.square(b, new SharedTensor(p.id(), r[p.id()]), bits);
                SharedTensor[] out = b.run();
                return new RingTensor[] {out[i].share(), out[i + 1].share()};
            });
            RingTensor t = sum(run.party0(), run.party1(), 1);
            assertTruncated(raw, bits, t.data());
            assertEquals(t.mul(t), sum(run.party0(), run.party1(), 0), bits + " bits");
            assertEquals(1, run.cost().total().rounds());
            assertEquals(2L * 8 * N, run.cost().total().onlineBytes());
        }
    }

    @Test
    void theLocalTruncationGivesTheSameShapeOfResults() {
        SplittableRandom rnd = new SplittableRandom(23);
        long[] raw = uniform(rnd, 30);
        RingTensor y = RingTensor.of(uniform(rnd, 30), N);
        RingTensor[] r = Sharing.split(RingTensor.of(raw, N), Prg.fresh());
        RingTensor[] ys = Sharing.split(y, Prg.fresh());
        var run = new TwoPartyRuntime(FixedPoint.standard().withExactTruncation(false), java.time.Duration.ofMinutes(1)).run(p -> {
            ProductBatch b = new ProductBatch(p);
            int i = TruncatedProducts.mul(b, new SharedTensor(p.id(), r[p.id()]), 16,
                    TruncatedProducts.Operand.plain(new SharedTensor(p.id(), ys[p.id()])));
            int j = TruncatedProducts.square(b, new SharedTensor(p.id(), r[p.id()]), 16);
            SharedTensor[] out = b.run();
            return new RingTensor[] {out[i].share(), out[i + 1].share(), out[j].share(), out[j + 1].share()};
        });
        RingTensor t = sum(run.party0(), run.party1(), 1);
        for (int i = 0; i < N; i++) {
            long diff = t.data()[i] - (raw[i] >> 16);
            assertTrue(Math.abs(diff) <= 1, "local truncation within one unit at these magnitudes");
        }
        assertArrayEquals(t.data(), sum(run.party0(), run.party1(), 3).data());
        assertEquals(t.mul(y), sum(run.party0(), run.party1(), 0));
        assertEquals(t.mul(t), sum(run.party0(), run.party1(), 2));
        assertEquals(1, run.cost().total().rounds());
        assertEquals(2L * 8 * 3 * N, run.cost().total().onlineBytes(), "a plain product and a square");
    }

    @Test
    void aRemoteDealerRebuildsBothRecipes() {
        for (Correlation c : new Correlation[] {TruncatedProducts.mulCorrelation(3, 16, 0, 13),
                TruncatedProducts.mulCorrelation(3, 16, new int[] {0, 13}, new int[] {3, 1}),
                TruncatedProducts.squareCorrelation(3, 16)}) {
            Correlation rebuilt = CorrelationRegistry.create(c.kind(), c.parameters());
            long[][] random = new long[c.randomParts().size()][];
            for (int i = 0; i < random.length; i++) {
                random[i] = new long[] {-1 - i, 1L << 63, 77 + i};
            }
            long[][] a = c.derive(random);
            long[][] b = rebuilt.derive(random);
            assertEquals(a.length, b.length);
            for (int i = 0; i < a.length; i++) {
                assertArrayEquals(a[i], b[i]);
            }
        }
    }
}
