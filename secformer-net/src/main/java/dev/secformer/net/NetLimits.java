package dev.secformer.net;

import dev.secformer.core.Wire;
import java.time.Duration;

/**
 * The bounds every connection enforces.
 *
 * @param maxFrameBytes   the largest frame accepted (length prefix excluded); a larger one closes the connection
 * @param maxMessageBytes the largest message (a payload reassembled from chunks) accepted
 * @param chunkBytes      the size of the chunks a message is cut into when sent
 * @param timeout         the longest wait for a peer's message, a connection, or room in the send buffer
 */
public record NetLimits(int maxFrameBytes, long maxMessageBytes, int chunkBytes, Duration timeout) {
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
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive, got " + timeout);
        }
    }

    /** 1 MiB chunks, 2 MiB frames, messages up to the largest payload, 2 minutes. */
    public static NetLimits defaults() {
        return new NetLimits(2 << 20, Wire.MAX_PAYLOAD, 1 << 20, Duration.ofMinutes(2));
    }

    public NetLimits withTimeout(Duration t) {
        return new NetLimits(maxFrameBytes, maxMessageBytes, chunkBytes, t);
    }

    public NetLimits withMaxMessageBytes(long bytes) {
        return new NetLimits(maxFrameBytes, bytes, chunkBytes, timeout);
    }
}
