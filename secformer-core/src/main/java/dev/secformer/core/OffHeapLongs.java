package dev.secformer.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Long arrays kept outside the Java heap while they wait: prepared correlations, gigabytes that
 * live from the offline phase until the online phase draws them. On the heap they are young when
 * the request comes, and every young collection during the request copies them (measured: pauses
 * of 1 to 5 s on two cores for bge-small's 2.5 GB). Off the heap a collection sees only small
 * buffer objects; a draw copies the values back into a fresh array at memory speed.
 *
 * <p>Buffers are reused by exact size (every run of a plan stores the same sizes). At most a
 * quarter of the maximum heap of free buffers is kept; buffers beyond that are left to the garbage
 * collector, which frees their memory with them.
 */
final class OffHeapLongs {
    private static final long MAX_POOLED_BYTES = Runtime.getRuntime().maxMemory() / 4;
    /** Longs in one direct buffer (its capacity in bytes is an int); longer arrays stay on the heap. */
    private static final int MAX_LONGS = Integer.MAX_VALUE / Long.BYTES;
    private static final Map<Integer, Queue<LongBuffer>> FREE = new ConcurrentHashMap<>();
    private static final AtomicLong POOLED_BYTES = new AtomicLong();

    private OffHeapLongs() {
    }

    /** A copy of values, to be taken back once (empty arrays and those too long for a buffer are kept as they are). */
    static Stored store(long[] values) {
        if (values.length == 0 || values.length > MAX_LONGS) {
            return new Stored(null, values, values.length);
        }
        LongBuffer b = acquire(values.length);
        b.put(values);
        return new Stored(b, null, values.length);
    }

    private static LongBuffer acquire(int longs) {
        Queue<LongBuffer> q = FREE.get(longs);
        LongBuffer b = q == null ? null : q.poll();
        if (b == null) {
            return allocate(longs);
        }
        POOLED_BYTES.addAndGet(-(long) longs * Long.BYTES);
        b.clear();
        return b;
    }

    /**
     * A new buffer. When direct memory is exhausted the free buffers are dropped and the allocation
     * tried once more; then a clear error: an {@link OutOfMemoryError} would end the thread that
     * prepares (and leave its takers waiting) instead of failing the one run.
     */
    private static LongBuffer allocate(int longs) {
        try {
            return direct(longs);
        } catch (OutOfMemoryError full) {
            for (Queue<LongBuffer> q : FREE.values()) {
                for (LongBuffer f = q.poll(); f != null; f = q.poll()) {
                    POOLED_BYTES.addAndGet(-(long) f.capacity() * Long.BYTES);
                }
            }
            try {
                return direct(longs);
            } catch (OutOfMemoryError again) {
                throw new IllegalStateException("no room off the heap for " + (long) longs * Long.BYTES
                        + " bytes of prepared correlations (-XX:MaxDirectMemorySize, by default -Xmx): " + again.getMessage(), again);
            }
        }
    }

    private static LongBuffer direct(int longs) {
        return ByteBuffer.allocateDirect(longs * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    private static void release(LongBuffer b) {
        long bytes = (long) b.capacity() * Long.BYTES;
        if (POOLED_BYTES.addAndGet(bytes) > MAX_POOLED_BYTES) {
            POOLED_BYTES.addAndGet(-bytes);
            return;
        }
        FREE.computeIfAbsent(b.capacity(), k -> new ConcurrentLinkedQueue<>()).add(b);
    }

    /** Stored values: off the heap, or on it when empty or too long for one buffer. */
    static final class Stored {
        private LongBuffer buffer;
        private long[] onHeap;
        private final int length;

        private Stored(LongBuffer buffer, long[] onHeap, int length) {
            this.buffer = buffer;
            this.onHeap = onHeap;
            this.length = length;
        }

        /** The values, in a fresh array; the storage goes back to the pool. */
        long[] take() {
            if (buffer == null && onHeap == null) {
                throw new IllegalStateException("stored values taken twice");
            }
            if (onHeap != null) {
                long[] out = onHeap;
                onHeap = null;
                return out;
            }
            long[] out = new long[length];
            buffer.clear();
            buffer.get(out);
            release(buffer);
            buffer = null;
            return out;
        }
    }
}
