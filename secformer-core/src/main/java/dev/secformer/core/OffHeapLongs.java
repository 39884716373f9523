package dev.secformer.core;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
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
 * quarter of the maximum heap of free buffers is kept; the memory of buffers beyond that is freed
 * at once. Left to the garbage collector it was not: the buffer objects live long enough to reach
 * the old generation, which a 12 GB heap collects rarely, so their memory piled up to the limit
 * on direct memory (by default the heap's size), and heap plus direct memory exceeded the machine
 * (BERT-base in memory, 10 runs in one JVM on 24 GiB: killed by the kernel at 24.4 GB resident).
 */
final class OffHeapLongs {
    private static final long MAX_POOLED_BYTES = Runtime.getRuntime().maxMemory() / 4;
    /** Longs in one direct buffer (its capacity in bytes is an int); longer arrays stay on the heap. */
    private static final int MAX_LONGS = Integer.MAX_VALUE / Long.BYTES;
    private static final Map<Integer, Queue<Block>> FREE = new ConcurrentHashMap<>();
    /** Frees a direct buffer's memory now; null where the JVM does not offer it (then the collector does). */
    private static final MethodHandle FREE_NOW = freeNow();
    private static final AtomicLong POOLED_BYTES = new AtomicLong();

    /** A direct buffer and its view as longs. */
    private record Block(ByteBuffer bytes, LongBuffer longs) {
    }

    private OffHeapLongs() {
    }

    /** A copy of values, to be taken back once (empty arrays and those too long for a buffer are kept as they are). */
    static Stored store(long[] values) {
        if (values.length == 0 || values.length > MAX_LONGS) {
            return new Stored(null, values, values.length);
        }
        Block b = acquire(values.length);
        b.longs().put(values);
        return new Stored(b, null, values.length);
    }

    private static Block acquire(int longs) {
        Queue<Block> q = FREE.get(longs);
        Block b = q == null ? null : q.poll();
        if (b == null) {
            return allocate(longs);
        }
        POOLED_BYTES.addAndGet(-(long) longs * Long.BYTES);
        b.longs().clear();
        return b;
    }

    /**
     * A new buffer. When direct memory is exhausted the free buffers are dropped and the allocation
     * tried once more; then a clear error: an {@link OutOfMemoryError} would end the thread that
     * prepares (and leave its takers waiting) instead of failing the one run.
     */
    private static Block allocate(int longs) {
        try {
            return direct(longs);
        } catch (OutOfMemoryError full) {
            for (Queue<Block> q : FREE.values()) {
                for (Block f = q.poll(); f != null; f = q.poll()) {
                    POOLED_BYTES.addAndGet(-f.bytes().capacity());
                    free(f);
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

    private static Block direct(int longs) {
        ByteBuffer bytes = ByteBuffer.allocateDirect(longs * Long.BYTES).order(ByteOrder.nativeOrder());
        return new Block(bytes, bytes.asLongBuffer());
    }

    private static void release(Block b) {
        long bytes = b.bytes().capacity();
        if (POOLED_BYTES.addAndGet(bytes) > MAX_POOLED_BYTES) {
            POOLED_BYTES.addAndGet(-bytes);
            free(b);
            return;
        }
        FREE.computeIfAbsent(b.longs().capacity(), k -> new ConcurrentLinkedQueue<>()).add(b);
    }

    private static void free(Block b) {
        if (FREE_NOW != null) {
            try {
                FREE_NOW.invokeExact(b.bytes());
            } catch (Throwable e) {
                // not freed now: the collector frees it with the buffer
            }
        }
    }

    /** {@code sun.misc.Unsafe.invokeCleaner} (module jdk.unsupported), bound, or null where it is missing. */
    private static MethodHandle freeNow() {
        try {
            Class<?> unsafe = Class.forName("sun.misc.Unsafe");
            Field instance = unsafe.getDeclaredField("theUnsafe");
            instance.setAccessible(true);
            return MethodHandles.lookup().findVirtual(unsafe, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
                    .bindTo(instance.get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Stored values: off the heap, or on it when empty or too long for one buffer. */
    static final class Stored {
        private Block buffer;
        private long[] onHeap;
        private final int length;

        private Stored(Block buffer, long[] onHeap, int length) {
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
            buffer.longs().clear();
            buffer.longs().get(out);
            release(buffer);
            buffer = null;
            return out;
        }
    }
}
