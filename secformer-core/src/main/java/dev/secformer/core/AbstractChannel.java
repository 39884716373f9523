package dev.secformer.core;

/**
 * Base of every {@link Channel}: does the byte and round accounting once, so that all transports
 * report identical figures for the same computation. Subclasses only move payloads.
 *
 * <p>Every payload travels with its step, the sender's current cost phase path; a receiver whose own
 * step differs fails with a {@link ChannelException} naming both, instead of reading a message
 * meant for another step of the protocol.
 */
public abstract class AbstractChannel implements Channel {
    /** One exchange as this party saw it: what it sent and what it received (either may be empty). */
    public record Message(byte[] sent, byte[] received) {
    }

    /** A payload as the transport delivers it, with the sender's step. */
    public record Delivery(String step, byte[] payload) {
    }

    private final int partyId;
    private final CostMeter meter = new CostMeter();
    private java.util.List<Message> transcript;

    protected AbstractChannel(int partyId) {
        if (partyId != 0 && partyId != 1) {
            throw new IllegalArgumentException("party id must be 0 or 1, got " + partyId);
        }
        this.partyId = partyId;
    }

    /** Hands {@code payload} of {@code step} to the transport (may return before the peer has it). */
    protected abstract void transmit(String step, byte[] payload);

    /** Blocks until the peer's next payload arrives; throws {@link ChannelException} on close or timeout. */
    protected abstract Delivery awaitDelivery();

    private void transmit(byte[] payload) {
        transmit(meter.currentPath(), payload);
    }

    /** The peer's next payload, which must belong to this party's current step. */
    private byte[] awaitPayload() {
        Delivery d = awaitDelivery();
        String step = meter.currentPath();
        if (!d.step().equals(step)) {
            throw new ChannelException("party " + partyId + " is at step \"" + step
                    + "\" but the peer sent a message of step \"" + d.step() + "\"");
        }
        return d.payload();
    }

    @Override
    public final int partyId() {
        return partyId;
    }

    @Override
    public final CostMeter meter() {
        return meter;
    }

    /**
     * Starts (or stops, and forgets) recording this party's view of the channel: every payload sent
     * and received, for audits and for tests that check openings are uniformly masked.
     */
    public final void recordTranscript(boolean on) {
        transcript = on ? new java.util.ArrayList<>() : null;
    }

    /** The recorded messages in order (empty when not recording). */
    public final java.util.List<Message> transcript() {
        return transcript == null ? java.util.List.of() : java.util.List.copyOf(transcript);
    }

    private void record(byte[] sent, byte[] received) {
        if (transcript != null) {
            transcript.add(new Message(sent, received));
        }
    }

    @Override
    public final byte[] exchange(byte[] payload) {
        transmit(payload);
        byte[] in = awaitPayload();
        meter.recordSent(payload.length);
        meter.recordReceived(in.length);
        meter.recordRound();
        record(payload, in);
        return in;
    }

    @Override
    public final byte[][] exchange(byte[][] payloads) {
        for (byte[] p : payloads) {
            transmit(p);
        }
        byte[][] in = new byte[payloads.length][];
        for (int i = 0; i < in.length; i++) {
            in[i] = awaitPayload();
            meter.recordSent(payloads[i].length);
            meter.recordReceived(in[i].length);
            record(payloads[i], in[i]);
        }
        meter.recordRound();
        return in;
    }

    @Override
    public final void send(byte[] payload) {
        transmit(payload);
        meter.recordSent(payload.length);
        meter.recordRound();
        record(payload, new byte[0]);
    }

    @Override
    public final byte[] receive() {
        byte[] in = awaitPayload();
        meter.recordReceived(in.length);
        meter.recordRound();
        record(new byte[0], in);
        return in;
    }
}
