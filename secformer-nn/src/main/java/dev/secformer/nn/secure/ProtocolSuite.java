package dev.secformer.nn.secure;

import dev.secformer.protocols.GeluProtocol;
import dev.secformer.protocols.LayerNormProtocol;
import dev.secformer.protocols.SoftmaxProtocol;

/**
 * The nonlinear protocols a secure BERT runs with: SecFormer's, or a peer's for comparison. The
 * embedding LayerNorm has its own protocol because its input variances (sums of three embedding
 * rows, about 1e-3) lie far below those inside the encoder.
 */
public record ProtocolSuite(String name, GeluProtocol gelu, SoftmaxProtocol softmax,
                            LayerNormProtocol embeddingLayerNorm, LayerNormProtocol layerNorm) {
}
