package dev.secformer.core;

/**
 * Opening (reconstruction) of shared values. Every call is one round however many tensors it opens:
 * all shares go out in one payload. A protocol must only open values that are uniformly masked.
 */
public final class Open {
    private Open() {
    }

    /** Opens every tensor to both parties in one round; costs 8 bytes per element per party. */
    public static RingTensor[] open(Party p, SharedTensor... xs) {
        return openModulo(p, 64, xs);
    }

    /**
     * Opens in the ring Z_2^bits: each party sends the low {@code bits} bits of its shares, and the
     * results are in [0, 2^bits). Correct because 2^bits divides 2^64; it hides the secret only if the
     * secret's mask is uniform mod 2^bits. Costs {@code bits/8} bytes per element per party, one round.
     */
    public static RingTensor[] openModulo(Party p, int bits, SharedTensor... xs) {
        long[] mine = xs.length == 1 ? xs[0].share().data() : concatenated(xs);
        long[] theirs = exchangeChunked(p, mine, bits, CHUNK_ELEMENTS);
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        RingTensor[] out = new RingTensor[xs.length];
        int pos = 0;
        for (int t = 0; t < xs.length; t++) {
            long[] v = new long[xs[t].size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (mine[pos + i] + theirs[pos + i]) & mask;
            }
            pos += v.length;
            out[t] = RingTensor.of(v, xs[t].shape());
        }
        return out;
    }

    /** The shares of several tensors in one array, in order (only read: a single tensor's share is used as it is). */
    private static long[] concatenated(SharedTensor[] xs) {
        int total = 0;
        for (SharedTensor x : xs) {
            total += x.size();
        }
        long[] all = new long[total];
        int pos = 0;
        for (SharedTensor x : xs) {
            System.arraycopy(x.share().data(), 0, all, pos, x.size());
            pos += x.size();
        }
        return all;
    }

    /**
     * Opens each tensor in its own ring Z_2^bits[i], all in ONE round (one payload per tensor):
     * the first openings of independent protocols share a round this way. Results are in
     * [0, 2^bits[i]).
     */
    public static RingTensor[] openEach(Party p, int[] bits, SharedTensor... xs) {
        return received(p.channel().exchange(payloads(bits, xs)), bits, xs);
    }

    /** Each tensor's share packed at its width, one payload per tensor: what {@link #openEach} sends. */
    static byte[][] payloads(int[] bits, SharedTensor... xs) {
        if (bits.length != xs.length) {
            throw new IllegalArgumentException(bits.length + " widths for " + xs.length + " tensors");
        }
        byte[][] out = new byte[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            out[i] = Wire.pack(xs[i].share().data(), bits[i]);
        }
        return out;
    }

    /** The opened values, mine + theirs mod 2^bits[i], from the peer's answer to {@link #payloads}. */
    static RingTensor[] received(byte[][] in, int[] bits, SharedTensor... xs) {
        if (in.length != xs.length) {
            throw new ChannelException("expected " + xs.length + " payloads in the round, got " + in.length);
        }
        RingTensor[] r = new RingTensor[xs.length];
        for (int i = 0; i < xs.length; i++) {
            long mask = bits[i] == 64 ? -1L : (1L << bits[i]) - 1;
            long[] mine = xs[i].share().data();
            long[] theirs = Wire.unpack(in[i], mine.length, bits[i]);
            long[] v = new long[mine.length];
            for (int j = 0; j < v.length; j++) {
                v[j] = (mine[j] + theirs[j]) & mask;
            }
            r[i] = RingTensor.of(v, xs[i].shape());
        }
        return r;
    }

    /** Elements per payload of a large opening: 32 Mi elements (256 MiB at 64 bits). */
    static final int CHUNK_ELEMENTS = 1 << 25;

    /** Exchanges {@code mine} packed at {@code bits}, split into chunks of {@code chunk} elements when larger, in one round. */
    static long[] exchangeChunked(Party p, long[] mine, int bits, int chunk) {
        int total = mine.length;
        if (total <= chunk) {
            return Wire.unpack(p.channel().exchange(Wire.pack(mine, bits)), total, bits);
        }
        int chunks = (total + chunk - 1) / chunk;
        byte[][] out = new byte[chunks][];
        for (int c = 0; c < chunks; c++) {
            int from = c * chunk;
            out[c] = Wire.pack(mine, from, Math.min(chunk, total - from), bits);
        }
        byte[][] in = p.channel().exchange(out);
        long[] theirs = new long[total];
        for (int c = 0; c < chunks; c++) {
            int from = c * chunk;
            int n = Math.min(chunk, total - from);
            System.arraycopy(Wire.unpack(in[c], n, bits), 0, theirs, from, n);
        }
        return theirs;
    }

    /** Opens to party {@code receiver} only (one round, 8 bytes per element); the other party gets null. */
    public static RingTensor openTo(Party p, int receiver, SharedTensor x) {
        if (p.id() == receiver) {
            long[] theirs = Wire.unpack(p.channel().receive(), x.size(), 64);
            return x.share().add(RingTensor.of(theirs, x.shape()));
        }
        p.channel().send(Wire.pack(x.share().data(), 64));
        return null;
    }
}
