package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Truncation;

/** A secure GeLU, elementwise on fixed-point shares. */
public interface GeluProtocol {
    SharedTensor apply(Party p, SharedTensor x);

    /**
     * GeLU of {@code raw / 2^bits}, for a product's output at f + bits fractional bits; by default
     * a truncation first (one round with the exact truncation).
     */
    default SharedTensor applyUntruncated(Party p, SharedTensor raw, int bits) {
        return apply(p, Truncation.truncate(p, raw, bits));
    }
}
