package dev.secformer.core;

/**
 * Everything one computing party needs to run a protocol: its id, the channel to its peer, its
 * view of the dealer and the fixed-point codec. The same protocol code runs unchanged whether the
 * channel is in memory or on a socket.
 */
public final class Party {
    private final Channel channel;
    private final CorrelatedRandomness dealer;
    private final FixedPoint fixedPoint;

    public Party(Channel channel, CorrelatedRandomness dealer, FixedPoint fixedPoint) {
        this.channel = channel;
        this.dealer = dealer;
        this.fixedPoint = fixedPoint;
    }

    public int id() {
        return channel.partyId();
    }

    public Channel channel() {
        return channel;
    }

    public CorrelatedRandomness dealer() {
        return dealer;
    }

    public FixedPoint fixedPoint() {
        return fixedPoint;
    }

    public CostMeter meter() {
        return channel.meter();
    }

    /** Opens a cost phase; use with try-with-resources. */
    public CostMeter.Phase phase(String label) {
        return channel.meter().phase(label);
    }

    /** This party's share of a public tensor: the value for party 0, zeros for party 1. */
    public SharedTensor sharePublic(RingTensor value) {
        return new SharedTensor(id(), id() == 0 ? value : RingTensor.zeros(value.shape()));
    }
}
