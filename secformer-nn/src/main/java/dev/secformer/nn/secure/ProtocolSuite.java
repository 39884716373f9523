package dev.secformer.nn.secure;

import dev.secformer.protocols.GeluProtocol;
import dev.secformer.protocols.LayerNormProtocol;
import dev.secformer.protocols.SoftmaxProtocol;

/** The nonlinear protocols a secure BERT runs with: SecFormer's, or a peer's for comparison. */
public record ProtocolSuite(String name, GeluProtocol gelu, SoftmaxProtocol softmax, LayerNormProtocol layerNorm) {
}
