package dev.secformer.core;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Channel} between two threads of one JVM: a pair of queues. Payloads are handed over by
 * reference (the sender must not modify an array after sending it, which {@link Wire} never does).
 */
public final class InMemoryChannel extends AbstractChannel {
    private static final Delivery CLOSED = new Delivery("", new byte[0]);

    private final BlockingQueue<Delivery> inbox;
    private final BlockingQueue<Delivery> outbox;
    private final long timeoutNanos;
    private volatile boolean closed;

    private InMemoryChannel(int partyId, BlockingQueue<Delivery> inbox, BlockingQueue<Delivery> outbox, Duration timeout) {
        super(partyId);
        this.inbox = inbox;
        this.outbox = outbox;
        this.timeoutNanos = timeout.toNanos();
    }

    /** Two connected channels, for party 0 and party 1, whose receives time out after {@code timeout}. */
    public static InMemoryChannel[] pair(Duration timeout) {
        BlockingQueue<Delivery> to0 = new LinkedBlockingQueue<>();
        BlockingQueue<Delivery> to1 = new LinkedBlockingQueue<>();
        return new InMemoryChannel[] {
            new InMemoryChannel(0, to0, to1, timeout),
            new InMemoryChannel(1, to1, to0, timeout)
        };
    }

    @Override
    protected void transmit(String step, byte[] payload) {
        if (closed) {
            throw new ChannelException("party " + partyId() + ": channel is closed");
        }
        outbox.add(new Delivery(step, payload));
    }

    @Override
    protected Delivery awaitDelivery() {
        if (closed) {
            throw new ChannelException("party " + partyId() + ": channel is closed");
        }
        Delivery in;
        try {
            in = inbox.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelException("party " + partyId() + ": interrupted while waiting for the peer", e);
        }
        if (in == null) {
            throw new ChannelException("party " + partyId() + ": no message from the peer within "
                    + Duration.ofNanos(timeoutNanos));
        }
        if (in == CLOSED) {
            inbox.add(CLOSED); // keep later receives failing too
            throw new ChannelException("party " + partyId() + ": the peer closed the channel");
        }
        return in;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            outbox.add(CLOSED);
        }
    }
}
