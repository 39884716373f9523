package dev.secformer.net;

import dev.secformer.core.AbstractChannel;
import dev.secformer.core.Channel;

/**
 * The {@link Channel} between the two computing parties over a {@link FrameConnection}: each payload
 * is one message whose step is the sender's cost phase path. Accounting is {@link AbstractChannel}'s,
 * identical to the in-memory channel's; {@link #framingBytes()} reports what the frames add.
 */
public final class NettyChannel extends AbstractChannel {
    private final FrameConnection connection;
    private final java.time.Duration timeout;

    /** A channel whose receives wait up to the connection's timeout. */
    public NettyChannel(int partyId, FrameConnection connection) {
        this(partyId, connection, connection.timeout());
    }

    public NettyChannel(int partyId, FrameConnection connection, java.time.Duration timeout) {
        super(partyId);
        this.connection = connection;
        this.timeout = timeout;
    }

    @Override
    protected void transmit(String step, byte[] payload) {
        connection.send(step, payload);
    }

    @Override
    protected Delivery awaitDelivery() {
        FrameConnection.Message m = connection.receive(timeout);
        return new Delivery(m.step(), m.payload());
    }

    /** Bytes the framing added so far (length prefixes, protobuf fields, hello), both directions. */
    public long framingBytes() {
        return connection.framingBytes();
    }

    /** The connection underneath (byte counts at the frame and socket level). */
    public FrameConnection connection() {
        return connection;
    }

    @Override
    public void close() {
        connection.close();
    }
}
