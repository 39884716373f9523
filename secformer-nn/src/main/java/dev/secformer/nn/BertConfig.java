package dev.secformer.nn;

/** The shape of a BERT encoder (public in a secure deployment) and its LayerNorm epsilon. */
public record BertConfig(int hidden, int layers, int heads, int intermediate, int vocabSize, int maxPositions,
                         int typeVocabSize, double layerNormEps) {
    public BertConfig {
        if (hidden <= 0 || layers <= 0 || heads <= 0 || intermediate <= 0 || vocabSize <= 0 || maxPositions <= 0
                || typeVocabSize <= 0) {
            throw new IllegalArgumentException("BERT dimensions must be positive: " + this);
        }
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("hidden size " + hidden + " is not a multiple of " + heads + " heads");
        }
    }
}
