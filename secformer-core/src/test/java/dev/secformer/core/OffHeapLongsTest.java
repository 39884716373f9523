package dev.secformer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
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

    /**
     * Buffers released beyond the pool's quarter of the heap give their memory back at once: 300 MB
     * more than the pool holds is stored, then all of it taken, with one heap array and so no
     * collection; direct memory then holds the pool's share at most (before, all of it stayed).
     */
    @Test
    void memoryBeyondThePoolIsFreedWithoutWaitingForTheCollector() {
        long pool = Runtime.getRuntime().maxMemory() / 4;
        long[] v = new long[12_500_000]; // 100 MB
        long before = directBytes();
        java.util.List<OffHeapLongs.Stored> stored = new java.util.ArrayList<>();
        for (long held = 0; held < pool + 300_000_000L; held += (long) v.length * Long.BYTES) {
            stored.add(OffHeapLongs.store(v));
        }
        stored.forEach(OffHeapLongs.Stored::take);
        long grown = directBytes() - before;
        assertTrue(grown <= pool, "direct memory grew by " + grown + " bytes; the pool holds at most " + pool);
    }

    private static long directBytes() {
        long used = 0;
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) {
                used += b.getMemoryUsed();
            }
        }
        return used;
    }
}
