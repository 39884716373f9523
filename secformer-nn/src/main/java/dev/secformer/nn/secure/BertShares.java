package dev.secformer.nn.secure;

import dev.secformer.core.RingTensor;
import java.util.List;

/**
 * One party's share of a BERT model, as fixed-point ring tensors, before it is loaded. Linear
 * weights are stored {@code [in, out]}; the query projection and bias are pre-scaled by
 * 1/sqrt(d_head) (so the attention scores need no extra product); Q, K and V are concatenated into
 * one {@code [H, 3H]} matrix so that their input is opened once.
 *
 * @param heads  number of attention heads (public)
 * @param layers encoder layers
 * @param pooler pooler and classifier, or null for an encoder without them
 */
public record BertShares(int heads, Embeddings embeddings, List<Layer> layers, Head pooler) {

    /** Word, position and token-type tables ({@code [rows, H]}) and the embedding LayerNorm. */
    public record Embeddings(RingTensor word, RingTensor position, RingTensor tokenType,
                             RingTensor lnGamma, RingTensor lnBeta) {
    }

    /** One encoder layer. */
    public record Layer(RingTensor qkv, RingTensor qkvBias, RingTensor output, RingTensor outputBias,
                        RingTensor ln1Gamma, RingTensor ln1Beta, RingTensor ffnIn, RingTensor ffnInBias,
                        RingTensor ffnOut, RingTensor ffnOutBias, RingTensor ln2Gamma, RingTensor ln2Beta) {
    }

    /** Pooler ({@code [H, H]}, tanh) and an optional classifier ({@code [H, labels]}, may be null). */
    public record Head(RingTensor pooler, RingTensor poolerBias, RingTensor classifier, RingTensor classifierBias) {
    }

    public int hidden() {
        return embeddings.word.dim(1);
    }
}
