package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.Wire;

/**
 * AND gates on XOR-shared bits, many per element, packed in words: Beaver's method over GF(2).
 * Gate j of element e uses triple bits a = bit (offset + j) of {@code ta[e]}, b of {@code tb[e]}
 * and c = a AND b at bit (1 + offset + j) of {@code tc[e]} (bit 0 of tc is left to the caller).
 */
final class BitAnd {
    private BitAnd() {
    }

    /**
     * {@code k} ANDs per element in one round: opens d = x XOR a and e = y XOR b (2k bits per element
     * per party), then z = c XOR (d AND b) XOR (e AND a) XOR (d AND e, party 0 only).
     */
    static long[] and(Party p, long[] x, long[] y, long[] ta, long[] tb, long[] tc, int offset, int k) {
        int n = x.length;
        long mask = k == 64 ? -1L : (1L << k) - 1;
        long[] de = new long[2 * n];
        for (int e = 0; e < n; e++) {
            de[e] = (x[e] ^ (ta[e] >>> offset)) & mask;
            de[n + e] = (y[e] ^ (tb[e] >>> offset)) & mask;
        }
        long[] opened = openBits(p, de, k);
        long[] z = new long[n];
        for (int e = 0; e < n; e++) {
            long d = opened[e];
            long g = opened[n + e];
            long a = (ta[e] >>> offset) & mask;
            long b = (tb[e] >>> offset) & mask;
            long c = (tc[e] >>> (1 + offset)) & mask;
            long v = c ^ (d & b) ^ (g & a);
            if (p.id() == 0) {
                v ^= d & g;
            }
            z[e] = v;
        }
        return z;
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
