package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Truncation;

/**
 * Rescaling of shares by public powers of two that differ between groups of consecutive elements
 * (the per-row deflations of the division protocols), and the expansion of per-row values over
 * their rows. Divisions go through {@link Truncation} (exact: one round; local: none).
 */
final class Rescaling {
    private Rescaling() {
    }

    /**
     * Divides group g of {@code x} (the g-th run of {@code x.size() / bits.length} consecutive
     * elements) by 2^bits[g]: a {@link Truncation} for a positive count, an exact multiplication
     * by 2^-bits[g] for a negative one. One round if any count is positive and the truncation is
     * exact.
     */
    static SharedTensor truncate(Party p, SharedTensor x, int[] bits) {
        return truncate(p, x, bits, false);
    }

    /** The same, the truncation exact even in the local mode if {@code alwaysExact} (for values the local one would get wrong). */
    static SharedTensor truncate(Party p, SharedTensor x, int[] bits, boolean alwaysExact) {
        if (bits.length == 0 || x.size() % bits.length != 0) {
            throw new IllegalArgumentException(bits.length + " shift counts do not divide " + x.size() + " elements");
        }
        long[] divisors = new long[bits.length];
        boolean divides = false;
        boolean multiplies = false;
        for (int g = 0; g < bits.length; g++) {
            int k = bits[g];
            if (k < -62 || k > 62) {
                throw new IllegalArgumentException("shift by " + k + " bits is out of range");
            }
            divisors[g] = 1L << Math.max(k, 0);
            divides |= k > 0;
            multiplies |= k < 0;
        }
        SharedTensor y = x;
        if (divides) {
            ProductBatch batch = new ProductBatch(p);
            int i = alwaysExact ? Truncation.joinExact(batch, x, divisors) : Truncation.join(batch, x, divisors);
            y = batch.run()[i];
        }
        if (!multiplies) {
            return y;
        }
        long[] in = y.share().data();
        long[] out = new long[in.length];
        int group = in.length / bits.length;
        for (int i = 0; i < in.length; i++) {
            out[i] = in[i] << Math.max(-bits[i / group], 0);
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
}
