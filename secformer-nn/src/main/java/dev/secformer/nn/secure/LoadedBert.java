package dev.secformer.nn.secure;

import dev.secformer.core.FixedWeight;
import dev.secformer.core.LookupTable;
import dev.secformer.core.Party;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A party's model after loading: the word table is a {@link LookupTable} and every other weight
 * matrix a {@link FixedWeight} (their masks opened once, so that inferences open only their
 * inputs), vectors stay plain shares. Valid for the
 * dealer session in which it was loaded.
 */
public final class LoadedBert {
    record Layer(FixedWeight qkv, SharedTensor qkvBias, FixedWeight output, SharedTensor outputBias,
                 SharedTensor ln1Gamma, SharedTensor ln1Beta, FixedWeight ffnIn, SharedTensor ffnInBias,
                 FixedWeight ffnOut, SharedTensor ffnOutBias, SharedTensor ln2Gamma, SharedTensor ln2Beta) {
    }

    final int heads;
    final int hidden;
    final LookupTable word;
    final FixedWeight tokenType;
    final RingTensor position;
    final SharedTensor embLnGamma;
    final SharedTensor embLnBeta;
    final List<Layer> layers;
    /** Pooler and classifier (null when the model has none). */
    final FixedWeight pooler;
    final SharedTensor poolerBias;
    final FixedWeight classifier;
    final SharedTensor classifierBias;

    private LoadedBert(int heads, int hidden, LookupTable word, FixedWeight tokenType, RingTensor position,
                       SharedTensor embLnGamma, SharedTensor embLnBeta, List<Layer> layers, FixedWeight[] head,
                       SharedTensor poolerBias, SharedTensor classifierBias) {
        this.heads = heads;
        this.hidden = hidden;
        this.word = word;
        this.tokenType = tokenType;
        this.position = position;
        this.embLnGamma = embLnGamma;
        this.embLnBeta = embLnBeta;
        this.layers = layers;
        this.pooler = head[0];
        this.poolerBias = poolerBias;
        this.classifier = head[1];
        this.classifierBias = classifierBias;
    }

    /**
     * Loads a party's share of the model: opens the masked weight matrices (8 bytes per weight
     * element per party), one round for the word table, one for the token types, one per layer and
     * one for the head, under
     * the cost phase "load". Persistent dealer keys {@code keyBase + i} must not be used by anything
     * else in the session.
     */
    public static LoadedBert load(Party p, BertShares s, long keyBase) {
        if (s.hidden() % s.heads() != 0) {
            throw new IllegalArgumentException("hidden size " + s.hidden() + " is not a multiple of " + s.heads() + " heads");
        }
        // One opening per group (embeddings, each layer, the head): a BERT-large opened at once would
        // need several copies of all its weights in memory at the same time.
        List<List<SharedTensor>> groups = new ArrayList<>();
        groups.add(List.of(shared(p, s.embeddings().tokenType())));
        for (BertShares.Layer l : s.layers()) {
            groups.add(List.of(shared(p, l.qkv()), shared(p, l.output()), shared(p, l.ffnIn()), shared(p, l.ffnOut())));
        }
        BertShares.Head head = s.pooler();
        if (head != null) {
            groups.add(head.classifier() == null ? List.of(shared(p, head.pooler()))
                    : List.of(shared(p, head.pooler()), shared(p, head.classifier())));
        }
        List<FixedWeight> prepared = new ArrayList<>();
        long key = keyBase;
        LookupTable word;
        try (var ph = p.phase("load")) {
            word = LookupTable.prepare(p, shared(p, s.embeddings().word()), key++);
            for (List<SharedTensor> g : groups) {
                long[] keys = new long[g.size()];
                for (int i = 0; i < keys.length; i++) {
                    keys[i] = key++;
                }
                prepared.addAll(List.of(FixedWeight.prepareAll(p, g.toArray(SharedTensor[]::new), keys)));
            }
        }
        FixedWeight[] w = prepared.toArray(FixedWeight[]::new);
        List<Layer> layers = new ArrayList<>();
        int k = 1;
        for (BertShares.Layer l : s.layers()) {
            layers.add(new Layer(w[k], shared(p, l.qkvBias()), w[k + 1], shared(p, l.outputBias()),
                    shared(p, l.ln1Gamma()), shared(p, l.ln1Beta()), w[k + 2], shared(p, l.ffnInBias()),
                    w[k + 3], shared(p, l.ffnOutBias()), shared(p, l.ln2Gamma()), shared(p, l.ln2Beta())));
            k += 4;
        }
        FixedWeight[] headWeights = {null, null};
        if (head != null) {
            headWeights[0] = w[k];
            headWeights[1] = head.classifier() == null ? null : w[k + 1];
        }
        return new LoadedBert(s.heads(), s.hidden(), word, w[0], s.embeddings().position(),
                shared(p, s.embeddings().lnGamma()), shared(p, s.embeddings().lnBeta()), List.copyOf(layers), headWeights,
                head == null ? null : shared(p, head.poolerBias()),
                head == null || head.classifier() == null ? null : shared(p, head.classifierBias()));
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

    /** True when the model has a pooler (and possibly a classifier) on top of the encoder. */
    public boolean hasHead() {
        return pooler != null;
    }

    public int layerCount() {
        return layers.size();
    }
}
