package dev.secformer.bench;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * The JVM's memory as the reports give it: the heap's peak summed over the heap pools and what is
 * in use now, and the direct buffers in use now (prepared correlations wait there, with the free
 * buffers kept for reuse: memory beyond {@code -Xmx}, bounded by {@code -XX:MaxDirectMemorySize}).
 */
public record HeapUsage(long peakBytes, long inUseBytes, long directBytes) {
    /** The heap now: peak since the last {@link #resetPeak} (or JVM start), and in use. */
    public static HeapUsage sample() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        long direct = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                direct += pool.getMemoryUsed();
            }
        }
        Runtime rt = Runtime.getRuntime();
        return new HeapUsage(peak, rt.totalMemory() - rt.freeMemory(), direct);
    }

    /**
     * Collects the previous suite's garbage and restarts the peaks, so that each suite's peak is
     * its own (its model and runs), not the largest seen so far in the session.
     */
    public static void resetPeak() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }
}
