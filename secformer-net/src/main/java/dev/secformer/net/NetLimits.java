package dev.secformer.net;

import dev.secformer.core.Wire;
import java.time.Duration;

/**
 * The bounds every connection enforces.
 *
 * @param maxFrameBytes   the largest frame accepted (length prefix excluded); a larger one closes the connection
 * @param maxMessageBytes the largest message (a payload reassembled from chunks) accepted from a
 *                        party or the dealer
 * @param maxClientMessageBytes the largest message accepted from a client (its inputs: kilobytes
 *                        per sequence), so that a client cannot make a party hold what a model load needs
 * @param chunkBytes      the size of the chunks a message is cut into when sent
 * @param timeout         the longest wait for a peer's message, a connection, or room in the send buffer
 */
public record NetLimits(int maxFrameBytes, long maxMessageBytes, long maxClientMessageBytes, int chunkBytes,
                        Duration timeout) {
    /** Room for a chunk's header fields (session id, sequence, step, total) in a frame. */
    static final int HEADER_ROOM = 1024;

    public NetLimits {
        if (chunkBytes <= 0 || maxFrameBytes < chunkBytes + HEADER_ROOM) {
            throw new IllegalArgumentException("the frame limit (" + maxFrameBytes + " bytes) must exceed the chunk size ("
                    + chunkBytes + " bytes) by at least " + HEADER_ROOM + " bytes");
        }
        if (maxMessageBytes <= 0 || maxMessageBytes > Wire.MAX_PAYLOAD) {
            throw new IllegalArgumentException("the message limit must be in (0, " + Wire.MAX_PAYLOAD + "], got " + maxMessageBytes);
        }
        if (maxClientMessageBytes <= 0 || maxClientMessageBytes > Wire.MAX_PAYLOAD) {
            throw new IllegalArgumentException("the client message limit must be in (0, " + Wire.MAX_PAYLOAD + "], got "
                    + maxClientMessageBytes);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive, got " + timeout);
        }
    }

    /**
     * 1 MiB chunks, 2 MiB frames, messages up to the largest payload from parties and the dealer and
     * up to 64 MiB from clients (a request of 32 sequences of 512 tokens is under 1 MiB), 2 minutes.
     */
    public static NetLimits defaults() {
        return new NetLimits(2 << 20, Wire.MAX_PAYLOAD, 64L << 20, 1 << 20, Duration.ofMinutes(2));
    }

    public NetLimits withTimeout(Duration t) {
        return new NetLimits(maxFrameBytes, maxMessageBytes, maxClientMessageBytes, chunkBytes, t);
    }

    public NetLimits withMaxMessageBytes(long bytes) {
        return new NetLimits(maxFrameBytes, bytes, maxClientMessageBytes, chunkBytes, timeout);
    }

    public NetLimits withMaxClientMessageBytes(long bytes) {
        return new NetLimits(maxFrameBytes, maxMessageBytes, bytes, chunkBytes, timeout);
    }

    /**
     * How long a server waits for a new connection's TLS handshake and then its hello: the
     * timeout, but at most {@value #HANDSHAKE_SECONDS} s, so that idle connections cannot hold a
     * server's resources for minutes.
     */
    public Duration handshakeTimeout() {
        Duration most = Duration.ofSeconds(HANDSHAKE_SECONDS);
        return timeout.compareTo(most) < 0 ? timeout : most;
    }

    static final int HANDSHAKE_SECONDS = 10;

    /** The largest message accepted from a peer of {@code role} (from a client, the smaller of the two limits). */
    public long maxMessageBytesFrom(Role role) {
        return role == Role.CLIENT ? Math.min(maxClientMessageBytes, maxMessageBytes) : maxMessageBytes;
    }
}
