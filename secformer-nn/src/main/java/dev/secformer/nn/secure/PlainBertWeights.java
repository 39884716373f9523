package dev.secformer.nn.secure;

/**
 * The model owner's plaintext BERT weights, as the secret-sharing step reads them: row-major
 * float arrays, linear weights {@code [in, out]}, vectors of length H (or I for the FFN's inner
 * bias). Layer indices run from 0.
 */
public interface PlainBertWeights {
    int hidden();

    int heads();

    int layers();

    int intermediate();

    int vocabSize();

    int maxPositions();

    int typeVocabSize();

    float[] wordEmbeddings();

    float[] positionEmbeddings();

    float[] tokenTypeEmbeddings();

    float[] embeddingLnGamma();

    float[] embeddingLnBeta();

    float[] query(int layer);

    float[] queryBias(int layer);

    float[] key(int layer);

    float[] keyBias(int layer);

    float[] value(int layer);

    float[] valueBias(int layer);

    float[] attentionOutput(int layer);

    float[] attentionOutputBias(int layer);

    float[] attentionLnGamma(int layer);

    float[] attentionLnBeta(int layer);

    float[] ffnIn(int layer);

    float[] ffnInBias(int layer);

    float[] ffnOut(int layer);

    float[] ffnOutBias(int layer);

    float[] outputLnGamma(int layer);

    float[] outputLnBeta(int layer);

    /** The pooler's dense weight {@code [H, H]} (applied to the first token, then tanh), or null if the model has none. */
    default float[] poolerWeight() {
        return null;
    }

    /** The pooler's bias {@code [H]}, or null. */
    default float[] poolerBias() {
        return null;
    }

    /** The classifier's weight {@code [H, labels]} on the pooled output, or null. */
    default float[] classifierWeight() {
        return null;
    }

    /** The classifier's bias {@code [labels]}, or null. */
    default float[] classifierBias() {
        return null;
    }
}
