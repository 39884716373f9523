package dev.secformer.core;

/** Creating additive shares of a value and reconstructing it outside a protocol. */
public final class Sharing {
    private Sharing() {
    }

    /** Splits {@code x} into two uniformly random shares that sum to x (for a client or a test). */
    public static RingTensor[] split(RingTensor x, Prg prg) {
        RingTensor r = RingTensor.of(prg.nextLongs(x.size()), x.shape());
        return new RingTensor[] {x.sub(r), r};
    }

    /** The secret from both shares. */
    public static RingTensor reconstruct(RingTensor share0, RingTensor share1) {
        if (!share0.sameShape(share1)) {
            throw new IllegalArgumentException("shares have different shapes: " + java.util.Arrays.toString(share0.shape())
                    + " and " + java.util.Arrays.toString(share1.shape()));
        }
        return share0.add(share1);
    }

    /**
     * Secret-shares a value held by party {@code owner}: the owner draws a fresh mask r from a
     * {@link java.security.SecureRandom}-seeded PRG, sends x - r to its peer and keeps r. One round,
     * 8 bytes per element. The other party passes null for {@code value}.
     */
    public static SharedTensor input(Party p, int owner, RingTensor value, int... shape) {
        if (p.id() == owner) {
            if (value == null) {
                throw new IllegalArgumentException("party " + owner + " owns the input but passed no value");
            }
            RingTensor[] s = split(value, Prg.fresh());
            p.channel().send(Wire.pack(s[0].data(), 64));
            return new SharedTensor(p.id(), s[1]);
        }
        int n = RingTensor.zeros(shape).size();
        return new SharedTensor(p.id(), RingTensor.of(Wire.unpack(p.channel().receive(), n, 64), shape));
    }
}
