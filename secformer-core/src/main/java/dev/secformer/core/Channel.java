package dev.secformer.core;

/**
 * The link between the two computing parties. Payloads are opaque byte arrays; {@link Wire} packs
 * ring elements into them. Every implementation counts what it carries in its {@link CostMeter}
 * the same way (see {@link AbstractChannel}), so a protocol's cost does not depend on whether it
 * runs in memory or over a socket.
 *
 * <p>Rounds: an {@link #exchange} (both parties send, then both receive) is one round; a
 * {@link #send} or a {@link #receive} is one round for the party that makes it. The rounds of a
 * computation are the larger of the two parties' counts.
 *
 * <p>A receive never blocks forever: it fails with a {@link ChannelException} when the peer closed
 * the channel or after the channel's timeout.
 */
public interface Channel extends AutoCloseable {

    /** This party's id (0 or 1). */
    int partyId();

    /** Sends {@code payload} and returns the peer's payload of the same step (one round). */
    byte[] exchange(byte[] payload);

    /**
     * Sends several payloads and returns the peer's payloads of the same step, as ONE round: a
     * large opening split into chunks (a byte array holds at most 2 GiB).
     */
    byte[][] exchange(byte[][] payloads);

    /** Sends {@code payload} to the peer without waiting for an answer. */
    void send(byte[] payload);

    /** Waits for the peer's next payload. */
    byte[] receive();

    /** The cost accounting of this party's side of the channel. */
    CostMeter meter();

    /** Closes the channel; a peer blocked in {@link #receive()} fails promptly. Idempotent. */
    @Override
    void close();
}
