package dev.secformer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OffHeapLongsTest {
    @Test
    void valuesComeBackOnceWhateverTheSizeAndReusedBuffersHoldNoStaleValues() {
        SplittableRandom rnd = new SplittableRandom(6);
        for (int n : new int[] {0, 1, 7, 4096, 1 << 20}) {
            for (int round = 0; round < 3; round++) { // later rounds reuse the buffers the earlier ones returned
                long[] v = rnd.longs(n).toArray();
                long[] want = v.clone();
                OffHeapLongs.Stored s = OffHeapLongs.store(v);
                java.util.Arrays.fill(v, 0); // the store is a copy
                assertArrayEquals(want, s.take(), "n=" + n + " round " + round);
                assertThrows(IllegalStateException.class, s::take, "taken twice");
            }
        }
    }
}
