package dev.secformer.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secformer.core.AbstractChannel;
import dev.secformer.core.ChiSquare;
import dev.secformer.core.CorrelationRegistry;
import dev.secformer.core.Prg;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Sharing;
import dev.secformer.core.TwoPartyRuntime;
import dev.secformer.core.Wire;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DigitComparisonTest {
    private final DigitComparison cmp = new DigitComparison();

    private static long[] signs(long[] x) {
        long[] s = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            s[i] = x[i] < 0 ? 1 : 0;
        }
        return s;
    }

    private long[] run(DigitComparison c, long[] x) {
        return Mpc.run(new RingTensor[] {RingTensor.of(x, x.length)}, (p, xs) -> c.lessThanZero(p, xs[0])).raw().data();
    }

    @Test
    void signOfEdgesAndRandomValuesInRange() {
        long lim = 1L << 31;
        long[] edges = {0, 1, -1, 2, -2, lim - 1, -lim, -lim + 1, 15, 16, -16, -17, 1L << 16, -(1L << 16), 0x7FFF_FFF0L, -0x0F0F_0F0FL};
        assertArrayEqualsSigns(edges, run(cmp, edges));
        SplittableRandom rnd = new SplittableRandom(2);
        long[] x = new long[20_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextLong(-lim, lim);
        }
        assertArrayEqualsSigns(x, run(cmp, x));
    }

    @Test
    void negativeTimesAValueForAnyCountOfElements() {
        SplittableRandom rnd = new SplittableRandom(5);
        long lim = 1L << 31;
        for (int n : new int[] {1, 63, 64, 65, 1000}) {
            long[] x = new long[n];
            long[] v = new long[n];
            for (int i = 0; i < n; i++) {
                x[i] = rnd.nextLong(-lim, lim);
                v[i] = rnd.nextLong(); // any ring element: the product is exact
            }
            RingTensor[] in = {RingTensor.of(x, n), RingTensor.of(v, n)};
            Mpc.Run r = Mpc.run(in, (p, xs) -> cmp.negativeTimes(p, xs[0], xs[1]));
            long[] got = r.raw().data();
            for (int i = 0; i < n; i++) {
                assertEquals(x[i] < 0 ? v[i] : 0, got[i], "element " + i);
            }
            assertEquals(cmp.rounds(), r.cost().total().rounds());
            assertEquals(cmp.onlineBytes(n, 1), r.cost().total().onlineBytes());
            assertEquals(cmp.onlineBytes(n, 0) + 16L * n, cmp.onlineBytes(n, 1));
        }
    }

    @Test
    void bitsAndGroupedProductsWithOneOpenedValuePerGroup() {
        SplittableRandom rnd = new SplittableRandom(9);
        long lim = 1L << 31;
        int groups = 5;
        long[] scales = {3, -7, 1L << 20, 0};
        int n = groups * scales.length;
        long[] x = new long[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextLong(-lim, lim);
        }
        long[] u = rnd.longs(groups).toArray();
        RingTensor[] in = {RingTensor.of(x, n), RingTensor.of(u, groups)};
        Mpc.Run r = Mpc.run(in, (p, xs) -> {
            DigitComparison.Pending q = cmp.start(p, xs[0], scales.length);
            SharedTensor[] out = q.signs(p, dev.secformer.core.Open.openModulo(p, cmp.bits(), q.masked())[0], null)
                    .bitsAndTimes(p, xs[1], scales);
            return SharedTensor.concat(0, out[0], out[1]);
        });
        long[] got = r.raw().data();
        for (int e = 0; e < n; e++) {
            long bit = x[e] < 0 ? 1 : 0;
            assertEquals(bit, got[e], "bit " + e);
            assertEquals(bit * scales[e % scales.length] * u[e / scales.length], got[n + e], "product " + e);
        }
        assertEquals(cmp.rounds(), r.cost().total().rounds());
        assertEquals(cmp.onlineBytes(n, scales.length), r.cost().total().onlineBytes());
        assertEquals(cmp.onlineBytes(n, 0) + 16L * groups, cmp.onlineBytes(n, scales.length), "one opened value per group");
    }

    @Test
    void otherWidthsIncludingOddDigitCounts() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int bits : new int[] {8, 13, 20, 40, 62}) {
            DigitComparison c = new DigitComparison(bits);
            long lim = 1L << (bits - 1);
            long[] x = new long[2000];
            for (int i = 0; i < x.length; i++) {
                x[i] = i < 4 ? new long[] {0, -1, lim - 1, -lim}[i] : rnd.nextLong(-lim, lim);
            }
            assertArrayEqualsSigns(x, run(c, x));
        }
    }

    @Test
    void bertLikeActivationsInFixedPoint() {
        SplittableRandom rnd = new SplittableRandom(4);
        double[] v = new double[4096];
        for (int i = 0; i < v.length; i++) {
            v[i] = (rnd.nextDouble() - 0.5) * (i % 2 == 0 ? 8 : 200);
        }
        long[] x = Mpc.FP.encode(v, v.length).data();
        assertArrayEqualsSigns(x, Mpc.run(v, new int[] {64, 64}, cmp::lessThanZero).raw().data());
    }

    private static void assertArrayEqualsSigns(long[] x, long[] got) {
        long[] want = signs(x);
        for (int i = 0; i < x.length; i++) {
            assertEquals(want[i], got[i], "element " + i + " = " + x[i]);
        }
    }

    @Test
    void costMatchesTheFormula() {
        int n = 1000;
        Mpc.Run r = Mpc.run(new RingTensor[] {RingTensor.zeros(n)}, (p, xs) -> cmp.lessThanZero(p, xs[0]));
        assertEquals(3, cmp.rounds(), "c, the eight digits' prefix in one round, the conversion");
        assertEquals(2 * (32 + 14 + 1), cmp.onlineBitsPerElement(), "c, L_1..L_7 and E_0..E_6, z");
        assertEquals(cmp.rounds(), r.cost().total().rounds());
        assertEquals(n * cmp.onlineBitsPerElement() / 8, r.cost().total().onlineBytes());
        assertEquals(cmp.onlineBytes(n, 0), r.cost().total().onlineBytes());
        // 3 table words and 1 additive word per element; per 64 elements 367 words of mask products (the
        // 2^7 - 8 products of two or more E masks, then 2^i - 1 products of a_i with E masks before i) and r_top
        assertEquals(32L * n + 8 * (120 + 247 + 1) * ((n + 63) / 64), r.cost().total().dealerBytes() - r.cost().byPath().get("setup").dealerBytes());
        assertTrue(cmp.onlineBitsPerElement() / 8.0 <= 64, "target: at most 64 bytes per element");
    }

    /** Party 0's view of the first opening: c = y + r mod 2^32, rebuilt from what it sent and received. */
    private static long[] openedMasks(long[] x, int bitsShown) {
        RingTensor[] s = Sharing.split(RingTensor.of(x, x.length), Prg.fresh());
        var r = new TwoPartyRuntime().run(p -> {
            AbstractChannel ch = (AbstractChannel) p.channel();
            ch.recordTranscript(true);
            new DigitComparison().lessThanZero(p, new SharedTensor(p.id(), s[p.id()]));
            return ch.transcript().get(0);
        });
        long[] mine = Wire.unpack(r.party0().sent(), x.length, 32);
        long[] theirs = Wire.unpack(r.party0().received(), x.length, 32);
        long[] c = new long[x.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = (mine[i] + theirs[i]) & 0xFFFF_FFFFL;
        }
        return c;
    }

    @Test
    void openedValuesAreUniformWhateverTheInput() {
        int n = 60_000;
        long[] zeros = new long[n];
        long[] large = new long[n];
        java.util.Arrays.fill(large, (1L << 31) - 1);
        for (long[] x : new long[][] {zeros, large}) {
            long[] c = openedMasks(x, 32);
            // 255 degrees of freedom: mean 255, sd 22.6; 380 is beyond 5 sd.
            assertTrue(ChiSquare.of(c, 0, 8) < 380, "low bits not uniform: " + ChiSquare.of(c, 0, 8));
            assertTrue(ChiSquare.of(c, 24, 8) < 380, "high bits not uniform: " + ChiSquare.of(c, 24, 8));
        }
        // A biased mask would fail: the same statistic on the plain inputs' offset values is huge.
        assertTrue(ChiSquare.of(zeros, 0, 8) > 1e5);
    }

    /**
     * The openings of comparisons that read an untruncated input from bit 12 and share one mask over
     * three thresholds: what each party receives is uniform whatever the input (one value per mask).
     */
    @Test
    void shiftedAndSharedOpeningsAreUniformWhateverTheInput() {
        int n = 60_000;
        for (long value : new long[] {0, (1L << 42) - 1, -(1L << 42)}) {
            long[] x = new long[n];
            java.util.Arrays.fill(x, value);
            RingTensor[] s = Sharing.split(RingTensor.of(x, n), Prg.fresh());
            long[] thresholds = new long[3 * n];
            var r = new TwoPartyRuntime().run(p -> {
                AbstractChannel ch = (AbstractChannel) p.channel();
                ch.recordTranscript(true);
                DigitComparison.Pending q = cmp.startThresholds(p, new SharedTensor(p.id(), s[p.id()]), thresholds, 3, 12, 0);
                q.signs(p, dev.secformer.core.Open.openModulo(p, cmp.bits(), q.masked())[0], null).bits(p);
                return ch.transcript().get(0);
            });
            long[] received = Wire.unpack(r.party0().received(), n, 32);
            long[] c = Wire.unpack(r.party0().sent(), n, 32);
            for (int i = 0; i < n; i++) {
                c[i] = (c[i] + received[i]) & 0xFFFF_FFFFL;
            }
            assertTrue(ChiSquare.of(received, 0, 8) < 380 && ChiSquare.of(received, 24, 8) < 380, "received share not uniform");
            assertTrue(ChiSquare.of(c, 0, 8) < 380 && ChiSquare.of(c, 24, 8) < 380, "opened value not uniform");
        }
    }

    /**
     * The conversion round's openings: the bits z = [x &lt; 0] XOR beta and the values u - m (one per
     * group) are uniform whatever the inputs (constant ones here).
     */
    @Test
    void theConversionRoundOpensUniformBitsAndValues() {
        int groups = 30_000;
        long[] x = new long[2 * groups];
        long[] u = new long[groups];
        java.util.Arrays.fill(x, -5);
        java.util.Arrays.fill(u, 123L << 20);
        RingTensor[] xs = Sharing.split(RingTensor.of(x, x.length), Prg.fresh());
        RingTensor[] us = Sharing.split(RingTensor.of(u, groups), Prg.fresh());
        var r = new TwoPartyRuntime().run(p -> {
            AbstractChannel ch = (AbstractChannel) p.channel();
            ch.recordTranscript(true);
            DigitComparison.Pending q = cmp.start(p, new SharedTensor(p.id(), xs[p.id()]), 2);
            q.signs(p, dev.secformer.core.Open.openModulo(p, cmp.bits(), q.masked())[0], null)
                    .bitsAndTimes(p, new SharedTensor(p.id(), us[p.id()]), new long[] {1, 3});
            int last = ch.transcript().size();
            return new Object[] {ch.transcript().get(last - 2), ch.transcript().get(last - 1)};
        });
        var bits = (AbstractChannel.Message) r.party0()[0];
        var values = (AbstractChannel.Message) r.party0()[1];
        assertEquals(8L * groups, values.sent().length, "one 64-bit value per group");
        long[] z = new long[bits.sent().length]; // the opened bits, byte by byte
        for (int i = 0; i < z.length; i++) {
            z[i] = (bits.sent()[i] ^ bits.received()[i]) & 0xFF;
        }
        long[] v = Wire.unpack(values.sent(), groups, 64);
        long[] theirV = Wire.unpack(values.received(), groups, 64);
        for (int i = 0; i < groups; i++) {
            v[i] += theirV[i];
        }
        assertEquals(2L * groups / 8, z.length);
        assertTrue(ChiSquare.of(z, 0, 8) < 380, "bits not uniform: " + ChiSquare.of(z, 0, 8));
        assertTrue(ChiSquare.of(v, 0, 8) < 380 && ChiSquare.of(v, 56, 8) < 380, "values not uniform");
    }

    @Test
    void theDigitRoundOpensUniformBitsWhateverTheInput() {
        int n = 60_000;
        int vectors = DigitComparison.prefix(32).vectors();
        for (long value : new long[] {0, -1, (1L << 30) + 12345}) {
            long[] x = new long[n];
            java.util.Arrays.fill(x, value);
            RingTensor[] s = Sharing.split(RingTensor.of(x, n), Prg.fresh());
            var r = new TwoPartyRuntime().run(p -> {
                AbstractChannel ch = (AbstractChannel) p.channel();
                ch.recordTranscript(true);
                cmp.lessThanZero(p, new SharedTensor(p.id(), s[p.id()]));
                return ch.transcript().get(1); // the digit round
            });
            long[] mine = Wire.unpackSlices(r.party0().sent(), vectors, n);
            long[] theirs = Wire.unpackSlices(r.party0().received(), vectors, n);
            int slices = (n + 63) / 64;
            for (int v = 0; v < vectors; v++) {
                long ones = 0;
                for (int w = v * slices; w < (v + 1) * slices; w++) {
                    ones += Long.bitCount(mine[w] ^ theirs[w]);
                }
                // Each opened bit is a digit's L or E under a fresh mask: a fair coin. sd = sqrt(n) / 2 = 122.
                assertTrue(Math.abs(ones - n / 2.0) < 5 * 122, "x = " + value + ", vector " + v + ": " + ones + " ones of " + n);
            }
        }
    }

    @Test
    void masksAreNeverReused() {
        long[] x = new long[1000];
        long[] first = openedMasks(x, 32);
        long[] second = openedMasks(x, 32);
        int same = 0;
        for (int i = 0; i < x.length; i++) {
            same += first[i] == second[i] ? 1 : 0;
        }
        assertTrue(same < 5, same + " of 1000 openings repeated");
    }

    @Test
    void checkModeReportsOutOfRangeInputs() {
        long[] x = {0, 1L << 31};
        Mpc.withRangeCheck(() -> {
            Exception e = assertThrows(Exception.class, () -> run(cmp, x));
            assertTrue(e.getCause().getMessage().contains("comparison: input element 1"), e.getCause().getMessage());
        });
        assertThrows(IllegalArgumentException.class, () -> new DigitComparison(7));
        assertThrows(IllegalArgumentException.class, () -> new DigitComparison(63));
    }

    @Test
    void remoteDealerCanRebuildTheRecipe() {
        var c = CorrelationRegistry.create(DigitComparison.KIND, new long[] {10, 32, 0, 0, 0, 1});
        assertThrows(IllegalArgumentException.class, () -> CorrelationRegistry.create(DigitComparison.KIND, new long[] {10, 32, 3, 0, 0, 1}));
        assertThrows(IllegalArgumentException.class, () -> CorrelationRegistry.create(DigitComparison.KIND, new long[] {10, 32, 0, 16, 0, 1}));
        assertEquals(5, c.randomParts().size());
        assertEquals(30, c.derivedParts().get(0).size());
        var times = CorrelationRegistry.create(DigitComparison.KIND, new long[] {10, 32, 1, 0, 0, 1});
        assertEquals(6, times.randomParts().size());
        assertEquals(6, times.derivedParts().size());
        var truncated = CorrelationRegistry.create(DigitComparison.KIND, new long[] {10, 32, 1, 17, 0, 1});
        assertEquals(6, truncated.randomParts().size());
        assertEquals(9, truncated.derivedParts().size());
        assertEquals(5, CorrelationRegistry.create(DigitComparison.KIND, new long[] {10, 32, 0, 0, 32, 1}).derivedParts().size());
        assertThrows(IllegalArgumentException.class, () -> CorrelationRegistry.create(DigitComparison.KIND, new long[] {10, 32, 0, 0, 33, 1}));
        var shared = CorrelationRegistry.create(DigitComparison.KIND, new long[] {10, 32, 5, 0, 0, 5});
        assertEquals(2, shared.randomParts().get(0).size(), "one mask per value");
        assertEquals(6, shared.derivedParts().get(0).size(), "one set of tables per value");
        assertThrows(IllegalArgumentException.class, () -> CorrelationRegistry.create(DigitComparison.KIND, new long[] {10, 32, 0, 0, 0, 3}));
    }

    /**
     * Each value against its own thresholds under one mask: the bits match plaintext comparisons
     * (exactly when read from bit 0, outside the 2^(s+1) band when read from bit s), the products
     * match, and the opening is one l-bit value per value instead of per comparison.
     */
    @Test
    void thresholdsOfOneValueShareItsMask() {
        SplittableRandom rnd = new SplittableRandom(14);
        int values = 300;
        int count = 7;
        long[] scales = {1, 2, 3, 4, 5, 6, 7};
        for (int shift : new int[] {0, 12}) {
            long[] x = new long[values];
            long[] t = new long[values * count];
            for (int e = 0; e < values; e++) {
                x[e] = rnd.nextLong(-(1L << (shift + 29)), 1L << (shift + 29));
                for (int i = 0; i < count; i++) {
                    t[e * count + i] = e % 5 == 0 ? (x[e] >> shift) + i - 3 : rnd.nextLong(-(1L << 29), 1L << 29);
                }
            }
            long[] v = rnd.longs(values, -(1L << 40), 1L << 40).toArray();
            Mpc.Run r = Mpc.run(new RingTensor[] {RingTensor.of(x, values), RingTensor.of(v, values)}, (p, s) -> {
                DigitComparison.Pending q = cmp.startThresholds(p, s[0], t, count, shift, 0);
                SharedTensor[] out = q.signs(p, dev.secformer.core.Open.openModulo(p, cmp.bits(), q.masked())[0], null)
                        .bitsAndTimes(p, s[1], scales);
                return SharedTensor.concat(0, out[0].reshape(values * count), out[1].reshape(values * count));
            });
            long[] got = r.raw().data();
            int n = values * count;
            for (int e = 0; e < n; e++) {
                long diff = x[e / count] - (t[e] << shift);
                long bit = got[e];
                if (shift > 0 && Math.abs(diff) < 2L << shift) {
                    assertTrue(bit == 0 || bit == 1, "comparison " + e);
                } else {
                    assertEquals(diff < 0 ? 1 : 0, bit, "shift " + shift + ", comparison " + e);
                }
                assertEquals(bit * scales[e % count] * v[e / count], got[n + e], "product " + e);
            }
            assertEquals(cmp.rounds(), r.cost().total().rounds());
            assertEquals(cmp.onlineBytes(n, count, count), r.cost().total().onlineBytes());
            assertEquals(cmp.onlineBytes(n, count) - 2L * (n - values) * 4, cmp.onlineBytes(n, count, count));
        }
    }

    /**
     * Read from bit s of an untruncated x: [x &lt; 0] wherever |x| &gt;= 2^(s+1), for inputs up to the
     * range's edge, at the cost of the plain comparison.
     */
    @Test
    void readsTheSignFromHigherBitsOfAnUntruncatedInput() {
        SplittableRandom rnd = new SplittableRandom(12);
        for (int shift : new int[] {1, 9, 30}) {
            long lim = (1L << (shift + 31)) - (1L << (shift + 1));
            int n = 4000;
            long[] x = new long[n];
            for (int i = 0; i < n; i++) {
                x[i] = i < 6 ? new long[] {lim - 1, -lim, 1L << (shift + 1), -(1L << (shift + 1)), 0, -1}[i]
                        : i % 2 == 0 ? rnd.nextLong(-lim, lim) : rnd.nextLong(-(4L << shift), 4L << shift);
            }
            Mpc.Run r = Mpc.run(new RingTensor[] {RingTensor.of(x, n)}, (p, xs) -> {
                DigitComparison.Pending q = cmp.startThresholds(p, xs[0], new long[n], 1, shift, 0, 0);
                return q.signs(p, dev.secformer.core.Open.openModulo(p, cmp.bits(), q.masked())[0], null).bits(p);
            });
            int undecided = 0;
            for (int i = 0; i < n; i++) {
                long got = r.raw().data()[i];
                if (Math.abs(x[i]) < 2L << shift) {
                    assertTrue(got == 0 || got == 1, "element " + i + ": " + got);
                    undecided++;
                } else {
                    assertEquals(x[i] < 0 ? 1 : 0, got, "shift " + shift + ", x = " + x[i]);
                }
            }
            assertTrue(undecided > 100, "the test reaches the band where either bit is right");
            assertEquals(cmp.rounds(), r.cost().total().rounds());
            assertEquals(cmp.onlineBytes(n, 0), r.cost().total().onlineBytes());
        }
    }

    /** Values truncated on the way into the products: exact where the local truncation fails one time in 16. */
    @Test
    void negativeTimesATruncatedValue() {
        SplittableRandom rnd = new SplittableRandom(6);
        int n = 3000;
        int shift = 17;
        long lim = 1L << 31;
        long[] x = new long[n];
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextLong(-lim, lim);
            v[i] = rnd.nextLong() >> 3; // |v| < 2^60
        }
        RingTensor[] in = {RingTensor.of(x, n), RingTensor.of(v, n)};
        Mpc.Run r = Mpc.run(in, (p, xs) -> {
            DigitComparison.Pending q = cmp.start(p, xs[0], 1, shift);
            return q.signs(p, dev.secformer.core.Open.openModulo(p, cmp.bits(), q.masked())[0], null).times(p, xs[1]);
        });
        long[] got = r.raw().data();
        for (int i = 0; i < n; i++) {
            long want = x[i] < 0 ? v[i] >> shift : 0;
            long diff = got[i] - want;
            assertTrue(diff == 0 || x[i] < 0 && diff == 1, "element " + i + ": " + got[i] + " for " + want);
        }
        assertEquals(cmp.rounds(), r.cost().total().rounds());
        assertEquals(cmp.onlineBytes(n, 1), r.cost().total().onlineBytes(), "the opening of v + 2^62 + m replaces v - m");
        assertEquals(DigitComparison.dealerBytes(n, 32, 1, shift),
                r.cost().total().dealerBytes() - r.cost().byPath().get("setup").dealerBytes());
    }
}
