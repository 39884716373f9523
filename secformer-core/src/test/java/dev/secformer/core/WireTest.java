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
    void bitSlicedVectorsPackToWholeBytesEachAndRoundTrip() {
        SplittableRandom rnd = new SplittableRandom(4);
        for (int n : new int[] {0, 1, 8, 63, 64, 65, 1000}) {
            int slices = (n + 63) / 64;
            int vectors = 3;
            long[] words = new long[vectors * slices];
            for (int i = 0; i < words.length; i++) {
                words[i] = rnd.nextLong();
            }
            byte[] packed = Wire.packSlices(words, vectors, n);
            assertEquals(vectors * ((n + 7) / 8), packed.length);
            for (int v = 0; v < vectors; v++) { // bit j of vector v sits at bit j of its byte run, as the element layout says
                for (int j = 0; j < n; j++) {
                    long want = (words[v * slices + j / 64] >>> j) & 1;
                    assertEquals(want, (packed[v * ((n + 7) / 8) + j / 8] >>> (j % 8)) & 1, "n=" + n + " v=" + v + " j=" + j);
                }
            }
            long[] back = Wire.unpackSlices(packed, vectors, n);
            for (int v = 0; v < vectors; v++) {
                for (int j = 0; j < 64 * slices; j++) {
                    long want = j < n ? (words[v * slices + j / 64] >>> j) & 1 : 0;
                    assertEquals(want, (back[v * slices + j / 64] >>> j) & 1, "n=" + n + " v=" + v + " j=" + j);
                }
            }
        }
        assertThrows(ChannelException.class, () -> Wire.unpackSlices(new byte[3], 2, 9));
    }

    @Test
    void rejectsPayloadOfWrongLength() {
        ChannelException e = assertThrows(ChannelException.class, () -> Wire.unpack(new byte[15], 2, 64));
        assertEquals("malformed payload: expected 16 bytes for 2 elements of 64 bits, got 15", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Wire.pack(new long[1], 0));
    }
}
