package dev.secformer.core;

/**
 * Base of every {@link Channel}: does the byte and round accounting once, so that all transports
 * report identical figures for the same computation. Subclasses only move payloads.
 */
public abstract class AbstractChannel implements Channel {
    private final int partyId;
    private final CostMeter meter = new CostMeter();

    protected AbstractChannel(int partyId) {
        if (partyId != 0 && partyId != 1) {
            throw new IllegalArgumentException("party id must be 0 or 1, got " + partyId);
        }
        this.partyId = partyId;
    }

    /** Hands {@code payload} to the transport (may return before the peer has it). */
    protected abstract void transmit(byte[] payload);

    /** Blocks until the peer's next payload arrives; throws {@link ChannelException} on close or timeout. */
    protected abstract byte[] awaitPayload();

    @Override
    public final int partyId() {
        return partyId;
    }

    @Override
    public final CostMeter meter() {
        return meter;
    }

    @Override
    public final byte[] exchange(byte[] payload) {
        transmit(payload);
        byte[] in = awaitPayload();
        meter.recordSent(payload.length);
        meter.recordReceived(in.length);
        meter.recordRound();
        return in;
    }

    @Override
    public final void send(byte[] payload) {
        transmit(payload);
        meter.recordSent(payload.length);
        meter.recordRound();
    }

    @Override
    public final byte[] receive() {
        byte[] in = awaitPayload();
        meter.recordReceived(in.length);
        meter.recordRound();
        return in;
    }
}
