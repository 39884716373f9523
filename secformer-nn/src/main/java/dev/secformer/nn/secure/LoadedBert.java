package dev.secformer.nn.secure;

import dev.secformer.core.FixedWeight;
import dev.secformer.core.Party;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A party's model after loading: every weight matrix is a {@link FixedWeight} (its mask opened
 * once, so that inferences open only their inputs), vectors stay plain shares. Valid for the
 * dealer session in which it was loaded.
 */
public final class LoadedBert {
    record Layer(FixedWeight qkv, SharedTensor qkvBias, FixedWeight output, SharedTensor outputBias,
                 SharedTensor ln1Gamma, SharedTensor ln1Beta, FixedWeight ffnIn, SharedTensor ffnInBias,
                 FixedWeight ffnOut, SharedTensor ffnOutBias, SharedTensor ln2Gamma, SharedTensor ln2Beta) {
    }

    final int heads;
    final int hidden;
    final FixedWeight word;
    final FixedWeight tokenType;
    final RingTensor position;
    final SharedTensor embLnGamma;
    final SharedTensor embLnBeta;
    final List<Layer> layers;

    private LoadedBert(int heads, int hidden, FixedWeight word, FixedWeight tokenType, RingTensor position,
                       SharedTensor embLnGamma, SharedTensor embLnBeta, List<Layer> layers) {
        this.heads = heads;
        this.hidden = hidden;
        this.word = word;
        this.tokenType = tokenType;
        this.position = position;
        this.embLnGamma = embLnGamma;
        this.embLnBeta = embLnBeta;
        this.layers = layers;
    }

    /**
     * Loads a party's share of the model: opens the masked weight matrices in ONE round
     * (8 bytes per weight element per party), under the cost phase "load". Persistent dealer keys
     * {@code keyBase + i} must not be used by anything else in the session.
     */
    public static LoadedBert load(Party p, BertShares s, long keyBase) {
        if (s.hidden() % s.heads() != 0) {
            throw new IllegalArgumentException("hidden size " + s.hidden() + " is not a multiple of " + s.heads() + " heads");
        }
        List<SharedTensor> mats = new ArrayList<>();
        mats.add(shared(p, s.embeddings().word()));
        mats.add(shared(p, s.embeddings().tokenType()));
        for (BertShares.Layer l : s.layers()) {
            mats.add(shared(p, l.qkv()));
            mats.add(shared(p, l.output()));
            mats.add(shared(p, l.ffnIn()));
            mats.add(shared(p, l.ffnOut()));
        }
        long[] keys = new long[mats.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = keyBase + i;
        }
        FixedWeight[] w;
        try (var ph = p.phase("load")) {
            w = FixedWeight.prepareAll(p, mats.toArray(SharedTensor[]::new), keys);
        }
        List<Layer> layers = new ArrayList<>();
        int k = 2;
        for (BertShares.Layer l : s.layers()) {
            layers.add(new Layer(w[k], shared(p, l.qkvBias()), w[k + 1], shared(p, l.outputBias()),
                    shared(p, l.ln1Gamma()), shared(p, l.ln1Beta()), w[k + 2], shared(p, l.ffnInBias()),
                    w[k + 3], shared(p, l.ffnOutBias()), shared(p, l.ln2Gamma()), shared(p, l.ln2Beta())));
            k += 4;
        }
        return new LoadedBert(s.heads(), s.hidden(), w[0], w[1], s.embeddings().position(),
                shared(p, s.embeddings().lnGamma()), shared(p, s.embeddings().lnBeta()), List.copyOf(layers));
    }

    private static SharedTensor shared(Party p, RingTensor share) {
        return new SharedTensor(p.id(), share);
    }

    public int vocabSize() {
        return word.rows();
    }

    public int typeVocabSize() {
        return tokenType.rows();
    }

    public int maxPositions() {
        return position.dim(0);
    }

    public int hidden() {
        return hidden;
    }

    public int layerCount() {
        return layers.size();
    }
}
