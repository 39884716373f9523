package dev.secformer.protocols;

import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;

/**
 * Local (communication-free) rescaling of shares by public factors: powers of two that differ
 * between groups of consecutive elements (the per-row deflations of the division protocols), and
 * division by a public integer (a row mean).
 */
final class LocalScaling {
    private LocalScaling() {
    }

    /**
     * Divides group g of {@code x} (the g-th run of {@code x.size() / bits.length} consecutive
     * elements) by 2^bits[g]: a local (SecureML) truncation for a positive count, with its error of
     * one unit and failure probability |value| / 2^64 per element, see {@link SharedTensor#truncate};
     * an exact multiplication by 2^-bits[g] for a negative count.
     */
    static SharedTensor truncate(SharedTensor x, int[] bits) {
        if (bits.length == 0 || x.size() % bits.length != 0) {
            throw new IllegalArgumentException(bits.length + " shift counts do not divide " + x.size() + " elements");
        }
        int group = x.size() / bits.length;
        long[] in = x.share().data();
        long[] out = new long[in.length];
        boolean first = x.partyId() == 0;
        for (int g = 0; g < bits.length; g++) {
            int k = bits[g];
            if (k < -62 || k > 63) {
                throw new IllegalArgumentException("shift by " + k + " bits is out of range");
            }
            for (int i = g * group; i < (g + 1) * group; i++) {
                if (k <= 0) {
                    out[i] = in[i] << -k;
                } else {
                    out[i] = first ? in[i] >> k : -((-in[i]) >> k);
                }
            }
        }
        return new SharedTensor(x.partyId(), RingTensor.of(out, x.shape()));
    }

    /**
     * Shares of round(x / d) up to one unit, for a public integer d &gt;= 1: each party divides its
     * own share (party 1 rounding up), like the local truncation. Correct whenever the two shares,
     * read as signed 64-bit integers, add up to x without overflow, i.e. except with probability
     * |x| / 2^64 per element, where the result is wrong by about 2^64 / d.
     */
    static SharedTensor divide(SharedTensor x, long d) {
        if (d < 1) {
            throw new IllegalArgumentException("divisor must be a positive integer, got " + d);
        }
        long[] in = x.share().data();
        long[] out = new long[in.length];
        boolean first = x.partyId() == 0;
        for (int i = 0; i < in.length; i++) {
            out[i] = first ? Math.floorDiv(in[i], d) : -Math.floorDiv(-in[i], d);
        }
        return new SharedTensor(x.partyId(), RingTensor.of(out, x.shape()));
    }

    /**
     * Repeats each element of {@code perRow} {@code cols} times: the local expansion of a per-row
     * value over its row (shape {@code shape}).
     */
    static SharedTensor expandRows(SharedTensor perRow, int cols, int[] shape) {
        long[] in = perRow.share().data();
        long[] out = new long[in.length * cols];
        for (int i = 0; i < out.length; i++) {
            out[i] = in[i / cols];
        }
        return new SharedTensor(perRow.partyId(), RingTensor.of(out, shape));
    }

    /** The same count for every group. */
    static int[] uniform(int groups, int bits) {
        int[] r = new int[groups];
        java.util.Arrays.fill(r, bits);
        return r;
    }
}
