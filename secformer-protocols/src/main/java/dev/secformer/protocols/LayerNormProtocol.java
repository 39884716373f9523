package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Truncation;

/** A secure LayerNorm over the last axis: {@code gamma * (x - mean) / sqrt(var + eps) + beta}. */
public interface LayerNormProtocol {
    /**
     * @param x     fixed-point shares, normalised over the last axis (length d)
     * @param gamma fixed-point shares of the scale, shape [d] (a secret weight)
     * @param beta  fixed-point shares of the shift, shape [d] (a secret weight)
     */
    SharedTensor apply(Party p, SharedTensor x, SharedTensor gamma, SharedTensor beta);

    /**
     * The LayerNorm of {@code raw / 2^bits}, an input not yet truncated after its product (a
     * residual sum with a linear layer's output): truncated first by default (one round); a
     * protocol whose first step is a product truncates it on the way in instead.
     */
    default SharedTensor applyUntruncated(Party p, SharedTensor raw, int bits, SharedTensor gamma, SharedTensor beta) {
        return apply(p, Truncation.truncate(p, raw, bits), gamma, beta);
    }
}
