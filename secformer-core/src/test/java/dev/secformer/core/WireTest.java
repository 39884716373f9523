package dev.secformer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WireTest {
    @Test
    void packUnpackRoundTripsTheLowBitsForEveryWidth() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int bits = 1; bits <= 64; bits++) {
            for (int n : new int[] {0, 1, 7, 64, 129}) {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = rnd.nextLong();
                }
                byte[] packed = Wire.pack(v, bits);
                assertEquals((n * (long) bits + 7) / 8, packed.length);
                long mask = bits == 64 ? -1L : (1L << bits) - 1;
                long[] expected = new long[n];
                for (int i = 0; i < n; i++) {
                    expected[i] = v[i] & mask;
                }
                assertArrayEquals(expected, Wire.unpack(packed, n, bits), "bits=" + bits + " n=" + n);
            }
        }
    }

    @Test
    void rejectsPayloadOfWrongLength() {
        ChannelException e = assertThrows(ChannelException.class, () -> Wire.unpack(new byte[15], 2, 64));
        assertEquals("malformed payload: expected 16 bytes for 2 elements of 64 bits, got 15", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Wire.pack(new long[1], 0));
    }
}
