package dev.secformer.core;

import java.util.Arrays;

/**
 * One party's additive share of a secret tensor: the secret is the sum, mod 2^64, of the two
 * parties' shares. Everything here is local (no communication); products of two secrets are in
 * {@link Beaver}, openings in {@link Open}.
 */
public final class SharedTensor {
    private final int partyId;
    private final RingTensor share;

    public SharedTensor(int partyId, RingTensor share) {
        if (partyId != 0 && partyId != 1) {
            throw new IllegalArgumentException("party id must be 0 or 1, got " + partyId);
        }
        this.partyId = partyId;
        this.share = share;
    }

    public int partyId() {
        return partyId;
    }

    /** This party's share. */
    public RingTensor share() {
        return share;
    }

    public int[] shape() {
        return share.shape();
    }

    public int size() {
        return share.size();
    }

    private SharedTensor with(RingTensor t) {
        return new SharedTensor(partyId, t);
    }

    private void samePartyAs(SharedTensor o) {
        if (o.partyId != partyId) {
            throw new IllegalArgumentException("shares of different parties (" + partyId + ", " + o.partyId + ") combined");
        }
    }

    public SharedTensor add(SharedTensor o) {
        samePartyAs(o);
        return with(share.add(o.share));
    }

    public SharedTensor sub(SharedTensor o) {
        samePartyAs(o);
        return with(share.sub(o.share));
    }

    public SharedTensor neg() {
        return with(share.neg());
    }

    /** Adds a public tensor (party 0 adds it, party 1 keeps its share); suffix shapes broadcast. */
    public SharedTensor addPublic(RingTensor c) {
        return partyId == 0 ? with(share.add(c)) : with(share.add(RingTensor.zeros(c.shape())));
    }

    /** Adds a public ring constant to every element. */
    public SharedTensor addPublic(long c) {
        return partyId == 0 ? with(share.addScalar(c)) : this;
    }

    /** Public constant minus the secret: {@code c - x}. */
    public SharedTensor rsubPublic(long c) {
        return neg().addPublic(c);
    }

    /** Multiplies by a public ring integer (no rescaling). */
    public SharedTensor mulPublic(long c) {
        return with(share.mulScalar(c));
    }

    /** Elementwise product with a public tensor (no rescaling); suffix shapes broadcast. */
    public SharedTensor mulPublic(RingTensor c) {
        return with(share.mul(c));
    }

    /** {@code op(x) op(w)} with a public matrix w (no rescaling). */
    public SharedTensor matmulPublic(RingTensor w, boolean transX, boolean transW) {
        return with(share.matmul(w, transX, transW));
    }

    /** {@code w x} with a public matrix on the left (no rescaling). */
    public SharedTensor leftMatmulPublic(RingTensor w) {
        return with(w.matmul(share));
    }

    public SharedTensor reshape(int... shape) {
        return with(share.reshape(shape));
    }

    public SharedTensor transpose() {
        return with(share.transpose());
    }

    public SharedTensor slice(int axis, int from, int to) {
        return with(share.slice(axis, from, to));
    }

    public SharedTensor sumLastAxis() {
        return with(share.sumLastAxis());
    }

    public static SharedTensor concat(int axis, SharedTensor... parts) {
        RingTensor[] shares = Arrays.stream(parts).map(SharedTensor::share).toArray(RingTensor[]::new);
        for (SharedTensor p : parts) {
            p.samePartyAs(parts[0]);
        }
        return new SharedTensor(parts[0].partyId, RingTensor.concat(axis, shares));
    }

    @Override
    public String toString() {
        return "SharedTensor(party " + partyId + ", shape " + Arrays.toString(share.shape()) + ")";
    }
}
