package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.SharedTensor;

/** A secure LayerNorm over the last axis: {@code gamma * (x - mean) / sqrt(var + eps) + beta}. */
public interface LayerNormProtocol {
    /**
     * @param x     fixed-point shares, normalised over the last axis (length d)
     * @param gamma fixed-point shares of the scale, shape [d] (a secret weight)
     * @param beta  fixed-point shares of the shift, shape [d] (a secret weight)
     */
    SharedTensor apply(Party p, SharedTensor x, SharedTensor gamma, SharedTensor beta);
}
