package dev.secformer.nn.secure;

/**
 * Synthetic weights scaled up (query and key by {@code attention}, other matrices by {@code factor}), so that attention is far from
 * uniform (with BERT's initial scale every score is near 0 and softmax, 2Quad or any weighting
 * would look alike).
 */
record SharpAttention(SyntheticBert base, float attention, float factor) implements PlainBertWeights {
    private static float[] scaled(float[] v, float f) {
        float[] r = v.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] *= f;
        }
        return r;
    }

    @Override public int hidden() { return base.hidden(); }
    @Override public int heads() { return base.heads(); }
    @Override public int layers() { return base.layers(); }
    @Override public int intermediate() { return base.intermediate(); }
    @Override public int vocabSize() { return base.vocabSize(); }
    @Override public int maxPositions() { return base.maxPositions(); }
    @Override public int typeVocabSize() { return base.typeVocabSize(); }
    @Override public float[] wordEmbeddings() { return base.wordEmbeddings(); }
    @Override public float[] positionEmbeddings() { return base.positionEmbeddings(); }
    @Override public float[] tokenTypeEmbeddings() { return base.tokenTypeEmbeddings(); }
    @Override public float[] embeddingLnGamma() { return base.embeddingLnGamma(); }
    @Override public float[] embeddingLnBeta() { return base.embeddingLnBeta(); }
    @Override public float[] query(int l) { return scaled(base.query(l), attention); }
    @Override public float[] queryBias(int l) { return base.queryBias(l); }
    @Override public float[] key(int l) { return scaled(base.key(l), attention); }
    @Override public float[] keyBias(int l) { return base.keyBias(l); }
    @Override public float[] value(int l) { return scaled(base.value(l), factor); }
    @Override public float[] valueBias(int l) { return base.valueBias(l); }
    @Override public float[] attentionOutput(int l) { return scaled(base.attentionOutput(l), factor); }
    @Override public float[] attentionOutputBias(int l) { return base.attentionOutputBias(l); }
    @Override public float[] attentionLnGamma(int l) { return base.attentionLnGamma(l); }
    @Override public float[] attentionLnBeta(int l) { return base.attentionLnBeta(l); }
    @Override public float[] ffnIn(int l) { return scaled(base.ffnIn(l), factor); }
    @Override public float[] ffnInBias(int l) { return base.ffnInBias(l); }
    @Override public float[] ffnOut(int l) { return scaled(base.ffnOut(l), factor); }
    @Override public float[] ffnOutBias(int l) { return base.ffnOutBias(l); }
    @Override public float[] outputLnGamma(int l) { return base.outputLnGamma(l); }
    @Override public float[] outputLnBeta(int l) { return base.outputLnBeta(l); }
}
