package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.SharedTensor;

/** A secure sign test: the common interface of the comparison protocols. */
public interface Comparison {
    /**
     * Shares of the bit {@code [x < 0]} of every element of the secret {@code x}, as ring integers
     * 0 or 1 (not fixed-point scaled), so that a product with a fixed-point value needs no truncation.
     */
    SharedTensor lessThanZero(Party p, SharedTensor x);
}
