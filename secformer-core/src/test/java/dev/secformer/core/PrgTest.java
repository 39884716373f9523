package dev.secformer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PrgTest {
    @Test
    void sameSeedSameStreamAcrossChunkBoundaries() {
        byte[] seed = Prg.freshSeed();
        Prg a = new Prg(seed);
        Prg b = new Prg(seed);
        long[] first = a.nextLongs(20_000); // crosses the 64 KiB refill boundary
        long[] second = new long[20_000];
        for (int i = 0; i < second.length; i++) {
            second[i] = b.nextLong();
        }
        assertArrayEquals(first, second);
        assertFalse(Arrays.equals(first, new Prg(Prg.freshSeed()).nextLongs(20_000)));
    }

    @Test
    void derivedStreamsAreRepeatableAndDistinct() {
        Prg p = Prg.fresh();
        long[] k1 = p.derive(1).nextLongs(100);
        assertArrayEquals(k1, p.derive(1).nextLongs(100));
        assertFalse(Arrays.equals(k1, p.derive(2).nextLongs(100)));
        assertFalse(Arrays.equals(k1, p.nextLongs(100)));
    }

    @Test
    void bitsAreBalanced() {
        long[] v = Prg.fresh().nextLongs(100_000);
        long ones = Arrays.stream(v).map(Long::bitCount).sum();
        double mean = ones / (64.0 * v.length); // sd of the mean is 1/sqrt(4 * 6.4e6) ~ 2e-4
        assertTrue(Math.abs(mean - 0.5) < 0.002, "fraction of one bits " + mean);
    }

    @Test
    void rejectsBadSeed() {
        assertThrows(IllegalArgumentException.class, () -> new Prg(new byte[8]));
    }
}
