package dev.secformer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Local (SecureML) truncation: off by at most one, and wrong with the documented probability.
 * Exact {@link Truncation}: right for every |x| &lt; 2^62, where the local one fails, uniformly
 * masked, at its documented cost.
 */
class TruncationTest {
    private final TwoPartyRuntime runtime = new TwoPartyRuntime();

    /** Values uniform in [-2^bits, 2^bits), with the edges of the range and zero at the front. */
    private static long[] values(SplittableRandom rnd, int n, int bits) {
        long[] v = new long[n];
        long top = (1L << bits) - 1;
        long[] edges = {0, 1, -1, top, -top - 1, (1L << 16) - 1, -(1L << 16)};
        System.arraycopy(edges, 0, v, 0, edges.length);
        for (int i = edges.length; i < n; i++) {
            v[i] = rnd.nextLong() >> (63 - bits);
        }
        return v;
    }

    private long[] exact(long[] v, long... divisors) {
        RingTensor[] s = Sharing.split(RingTensor.of(v, v.length), Prg.fresh());
        var r = runtime.run(p -> Truncation.divide(p, new SharedTensor(p.id(), s[p.id()]), divisors).share());
        return r.party0().add(r.party1()).data();
    }

    @Test
    void exactTruncationIsRightWhereTheLocalOneFails() {
        long[] v = values(new SplittableRandom(7), 200_000, 61); // local truncation fails for about 1 in 16
        long[] t = exact(v, 1L << 16);
        for (int i = 0; i < v.length; i++) {
            long diff = t[i] - (v[i] >> 16);
            assertTrue(diff == 0 || diff == 1, "value " + v[i] + " truncated to " + t[i]);
        }
        RingTensor[] s = Sharing.split(RingTensor.of(v, v.length), Prg.fresh());
        long[] l = Truncation.local(new SharedTensor(0, s[0]), 1L << 16).share()
                .add(Truncation.local(new SharedTensor(1, s[1]), 1L << 16).share()).data();
        long local = 0;
        for (int i = 0; i < v.length; i++) {
            long diff = l[i] - (v[i] >> 16);
            local += diff < -1 || diff > 1 ? 1 : 0;
        }
        assertTrue(local > 10_000, "the same values make the local truncation fail (" + local + " times)");
    }

    @Test
    void largestValuesAndEveryShiftTruncateExactly() {
        long[] v = values(new SplittableRandom(8), 2_000, 62 - 1);
        v[0] = (1L << 62) - 1;
        v[1] = -(1L << 62);
        for (int bits : new int[] {0, 1, 16, 32, 61, 62}) {
            long[] t = exact(v, 1L << bits);
            for (int i = 0; i < v.length; i++) {
                long diff = t[i] - (v[i] >> bits);
                assertTrue(diff == 0 || (bits > 0 && diff == 1), bits + " bits: value " + v[i] + " truncated to " + t[i]);
            }
        }
    }

    @Test
    void otherDivisorsPerGroupAreWithinTwoUnits() {
        long[] v = values(new SplittableRandom(9), 3 * 40_000, 60);
        long[] divisors = {768, 3, (1L << 40) + 12345};
        long[] t = exact(v, divisors);
        for (int i = 0; i < v.length; i++) {
            long d = divisors[i / 40_000];
            long diff = t[i] - Math.floorDiv(v[i], d);
            assertTrue(Math.abs(diff) <= 2, "value " + v[i] + " / " + d + " gave " + t[i]);
        }
    }

    @Test
    void joinsABatchRoundAtItsDocumentedCost() {
        int n = 1000;
        long[] v = values(new SplittableRandom(10), n, 40);
        RingTensor x = RingTensor.of(v, n);
        RingTensor[] s = Sharing.split(x, Prg.fresh());
        var r = runtime.run(p -> {
            try (var ph = p.phase("t")) {
                SharedTensor sx = new SharedTensor(p.id(), s[p.id()]);
                ProductBatch b = new ProductBatch(p);
                b.square(sx);
                int t = Truncation.join(b, sx, 16);
                SharedTensor[] out = b.run();
                return new RingTensor[] {out[0].share(), out[t].share()};
            }
        });
        assertEquals(x.mul(x), r.party0()[0].add(r.party1()[0]));
        long[] t = r.party0()[1].add(r.party1()[1]).data();
        for (int i = 0; i < n; i++) {
            long diff = t[i] - (v[i] >> 16);
            assertTrue(diff == 0 || diff == 1);
        }
        CostReport.Entry e = r.cost().byPath().get("t");
        assertEquals(1, e.rounds());
        assertEquals(2L * 8 * (n + n), e.onlineBytes(), "the square's and the truncation's openings, 8 bytes each");
        assertEquals(8L * n + 16L * n, e.dealerBytes(), "r^2, then floor(A / d) and msb(A)");
    }

    @Test
    void theOpenedValueIsUniformForAFixedSecret() {
        int n = 1 << 16;
        long[] v = new long[n];
        java.util.Arrays.fill(v, (1L << 40) + 5);
        RingTensor[] s = Sharing.split(RingTensor.of(v, n), Prg.fresh());
        var r = runtime.run(p -> {
            AbstractChannel ch = (AbstractChannel) p.channel();
            ch.recordTranscript(true);
            Truncation.truncate(p, new SharedTensor(p.id(), s[p.id()]), 16);
            return ch.transcript();
        });
        long[] mine = Wire.unpack(r.party0().get(0).sent(), n, 64);
        long[] theirs = Wire.unpack(r.party0().get(0).received(), n, 64);
        long[] opened = new long[n];
        for (int i = 0; i < n; i++) {
            opened[i] = mine[i] + theirs[i];
        }
        // 255 degrees of freedom: 380 is beyond the 1e-6 quantile of chi-square
        assertTrue(ChiSquare.of(opened, 56, 8) < 380, "top byte: " + ChiSquare.of(opened, 56, 8));
        assertTrue(ChiSquare.of(opened, 0, 8) < 380, "low byte: " + ChiSquare.of(opened, 0, 8));
    }

    @Test
    void aRemoteDealerRebuildsTheRecipeAndRefusesBadOnes() {
        Correlation c = Truncation.correlation(6, 4, 768);
        Correlation rebuilt = CorrelationRegistry.create(c.kind(), c.parameters());
        long[][] random = {{-1, 5, 1L << 63, 12345, -768, 0}};
        assertArrayEquals(c.derive(random)[0], rebuilt.derive(random)[0]);
        assertArrayEquals(new long[] {1, 0, 1, 0, 1, 0}, rebuilt.derive(random)[1]);
        assertThrows(IllegalArgumentException.class, () -> CorrelationRegistry.create("truncation", new long[] {6, 0}));
        assertThrows(IllegalArgumentException.class, () -> CorrelationRegistry.create("truncation", new long[] {6, 4, 4, 4, 4}));
        assertThrows(IllegalArgumentException.class, () -> CorrelationRegistry.create("truncation", new long[] {6}));
    }

    @Test
    void failureRateMatchesTheDocumentedBound() {
        int l = 54;
        int n = 1_000_000;
        SplittableRandom rnd = new SplittableRandom(5);
        RingTensor x = RingTensor.zeros(n);
        long[] d = x.data();
        double sumAbs = 0;
        for (int i = 0; i < n; i++) {
            d[i] = rnd.nextLong() >> (64 - l - 1); // uniform in [-2^l, 2^l)
            sumAbs += Math.abs((double) d[i]);
        }
        RingTensor[] s = Sharing.split(x, Prg.fresh());
        RingTensor t = Truncation.local(new SharedTensor(0, s[0]), 1L << 16).share().add(Truncation.local(new SharedTensor(1, s[1]), 1L << 16).share());
        long failures = 0;
        for (int i = 0; i < n; i++) {
            long diff = t.data()[i] - (d[i] >> 16);
            if (diff < -1 || diff > 1) {
                failures++;
            }
        }
        // For a given x the wrap happens with probability |x| / 2^64, so the expected count is sum|x| / 2^64.
        double expected = sumAbs / Math.scalb(1.0, 64);
        double bound = n * Math.scalb(1.0, l + 1 - 64);
        assertTrue(failures <= bound, failures + " failures exceed the documented bound " + bound);
        assertTrue(Math.abs(failures - expected) < 5 * Math.sqrt(expected),
                failures + " failures, expected about " + expected);
    }

    @Test
    void boundedValuesTruncateWithinOneUlp() {
        SplittableRandom rnd = new SplittableRandom(6);
        Prg prg = Prg.fresh();
        for (int i = 0; i < 100_000; i++) {
            long v = rnd.nextLong() >> 30;
            RingTensor[] s = Sharing.split(RingTensor.of(new long[] {v}, 1), prg);
            long t = Truncation.local(new SharedTensor(0, s[0]), 1L << 16).share().data()[0]
                    + Truncation.local(new SharedTensor(1, s[1]), 1L << 16).share().data()[0];
            long diff = t - (v >> 16);
            assertTrue(diff >= 0 && diff <= 1, "value " + v + " truncated to " + t);
        }
    }
}
