package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.Wire;

/**
 * AND gates on XOR-shared bits by Beaver's method over GF(2), bit-sliced: a gate is a vector of n
 * bits in {@code ceil(n / 64)} words (bit j of word w for element 64 w + j), and its triple is the
 * same number of words of a, b and c = a AND b, so one word operation does 64 gates.
 */
final class BitAnd {
    private BitAnd() {
    }

    /**
     * {@code gates} bit-sliced AND gates of n bits each in one round: x and y hold the gates' inputs
     * one vector after another, and the triple words start at word {@code offset} of ta, tb, tc.
     * Sends d = x XOR a and e = y XOR b ({@link Wire#sliceBytes} each per gate).
     */
    static long[] andSlices(Party p, long[] x, long[] y, long[] ta, long[] tb, long[] tc, int offset, int gates, long n) {
        int words = x.length;
        long[] de = new long[2 * words];
        for (int w = 0; w < words; w++) {
            de[w] = x[w] ^ ta[offset + w];
            de[words + w] = y[w] ^ tb[offset + w];
        }
        long[] opened = openSlices(p, de, 2 * gates, n);
        long[] z = new long[words];
        boolean p0 = p.id() == 0;
        for (int w = 0; w < words; w++) {
            long d = opened[w];
            long g = opened[words + w];
            long v = tc[offset + w] ^ (d & tb[offset + w]) ^ (g & ta[offset + w]);
            z[w] = p0 ? v ^ (d & g) : v;
        }
        return z;
    }

    /** Opens {@code vectors} XOR-shared bit-sliced vectors of n bits in one round. */
    static long[] openSlices(Party p, long[] words, int vectors, long n) {
        return openSlices(p, words, vectors, n, null);
    }

    /** The same, with {@code rider}'s openings (if given) in the same round. */
    static long[] openSlices(Party p, long[] words, int vectors, long n, ProductBatch.Round rider) {
        byte[] mine = Wire.packSlices(words, vectors, n);
        if (rider == null) {
            return xorSlices(words, p.channel().exchange(mine), vectors, n);
        }
        byte[][] riding = rider.payloads();
        byte[][] out = new byte[riding.length + 1][];
        out[0] = mine;
        System.arraycopy(riding, 0, out, 1, riding.length);
        byte[][] in = p.channel().exchange(out);
        rider.receive(java.util.Arrays.copyOfRange(in, 1, in.length));
        return xorSlices(words, in[0], vectors, n);
    }

    /** My words XOR the peer's packed vectors: the opened bits (past n: zero). */
    static long[] xorSlices(long[] mine, byte[] theirs, int vectors, long n) {
        long[] out = Wire.unpackSlices(theirs, vectors, n);
        int slices = (int) ((n + 63) / 64);
        long last = n % 64 == 0 ? -1L : (1L << n) - 1;
        for (int v = 0; v < vectors; v++) {
            for (int w = v * slices, end = (v + 1) * slices; w < end; w++) {
                out[w] ^= w == end - 1 ? mine[w] & last : mine[w];
            }
        }
        return out;
    }

    /** Opens XOR-shared words of {@code k} bits each in one round ({@code k} bits per word per party). */
    static long[] openBits(Party p, long[] shares, int k) {
        long[] theirs = Wire.unpack(p.channel().exchange(Wire.pack(shares, k)), shares.length, k);
        long[] out = new long[shares.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = shares[i] ^ theirs[i];
        }
        return out;
    }
}
