package dev.secformer.protocols;

import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;

/**
 * Local rescaling of shares by a public power of two that differs between groups of consecutive
 * elements (rows): the per-row deflations of the division protocols.
 */
final class GroupShift {
    private GroupShift() {
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

    /** The same count for every group. */
    static int[] uniform(int groups, int bits) {
        int[] r = new int[groups];
        java.util.Arrays.fill(r, bits);
        return r;
    }
}
