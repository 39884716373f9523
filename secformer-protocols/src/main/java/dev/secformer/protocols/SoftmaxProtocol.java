package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Truncation;

/** A secure softmax (or its 2Quad replacement) over the last axis of fixed-point shares. */
public interface SoftmaxProtocol {
    /**
     * @param scores fixed-point shares, softmax taken over the last axis
     * @param keyMask public 0/1 ring integers of the same shape as {@code scores}: 1 where the key is
     *                a real token, 0 where it is padding (its weight in the output is then 0)
     */
    SharedTensor apply(Party p, SharedTensor scores, RingTensor keyMask);

    /**
     * The softmax of {@code raw / 2^bits}, scores not yet truncated after their product: truncated
     * first by default (one round); a protocol whose first step is a product truncates them on the
     * way in instead.
     */
    default SharedTensor applyUntruncated(Party p, SharedTensor raw, int bits, RingTensor keyMask) {
        return apply(p, Truncation.truncate(p, raw, bits), keyMask);
    }
}
