package dev.secformer.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;

/**
 * A bound on the warnings one remote host can cause: at most {@code burst} per {@code window},
 * the rest counted and reported with the next warning let through. A host that opens connections
 * of garbage as fast as it can then writes a few lines a minute into the log, not one per
 * connection; the hosts tracked are bounded too (the least recently warned about is forgotten).
 */
final class HostWarnings {
    /** Hosts remembered; beyond this, the least recently warned about is dropped. */
    static final int MAX_HOSTS = 4096;

    private static final class Budget {
        long windowStart;
        int used;
        long suppressed;
    }

    private final int burst;
    private final long windowNanos;
    private final LongSupplier clock;
    private final Map<InetAddress, Budget> hosts = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Budget> eldest) {
            return size() > MAX_HOSTS;
        }
    };

    /** {@code clock} in nanoseconds ({@link System#nanoTime} in service). */
    HostWarnings(int burst, Duration window, LongSupplier clock) {
        if (burst < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("burst must be at least 1 and the window positive, got " + burst + " and " + window);
        }
        this.burst = burst;
        this.windowNanos = window.toNanos();
        this.clock = clock;
    }

    /**
     * Whether a warning about {@code address}'s host may be logged now: -1 if not (it is counted),
     * else the number of warnings about that host suppressed since the last one logged.
     */
    synchronized long admit(SocketAddress address) {
        InetAddress host = address instanceof InetSocketAddress a ? a.getAddress() : null;
        Budget b = hosts.computeIfAbsent(host, h -> new Budget());
        long now = clock.getAsLong();
        if (b.used == 0 || now - b.windowStart >= windowNanos) {
            b.windowStart = now;
            b.used = 0;
        }
        if (b.used >= burst) {
            b.suppressed++;
            return -1;
        }
        b.used++;
        long dropped = b.suppressed;
        b.suppressed = 0;
        return dropped;
    }

    /**
     * A cause in one short line: a connection that is not TLS is named as such (Netty's message
     * carries a hex dump of everything received), a closed one as closed (its message is null),
     * and other messages are cut at 200 characters.
     */
    static String describe(Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof NotSslRecordException) {
            return "not a TLS connection";
        }
        if (c instanceof ClosedChannelException) {
            return "the connection closed";
        }
        String m = c.getMessage();
        if (m == null) {
            return c.getClass().getSimpleName();
        }
        return m.length() > 200 ? m.substring(0, 200) + "..." : m;
    }
}
