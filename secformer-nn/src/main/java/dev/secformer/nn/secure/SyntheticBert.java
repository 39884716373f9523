package dev.secformer.nn.secure;

import java.util.SplittableRandom;

/**
 * BERT-shaped weights drawn at random as BERT initialises them (matrices and embeddings
 * N(0, 0.02), biases 0, LayerNorm gamma 1 and beta 0): for memory and cost measurements of
 * models whose checkpoints are not at hand (BERT-base, BERT-large). Each tensor is generated on
 * request from the seed and its name, so the object holds no weights.
 */
public record SyntheticBert(int hidden, int heads, int layers, int intermediate, int vocabSize, int maxPositions,
                            int typeVocabSize, long seed) implements PlainBertWeights {

    /** BERT-base: 12 layers, hidden 768, 12 heads, intermediate 3072, vocabulary 30522. */
    public static SyntheticBert base(long seed) {
        return new SyntheticBert(768, 12, 12, 3072, 30522, 512, 2, seed);
    }

    /** BERT-large: 24 layers, hidden 1024, 16 heads, intermediate 4096, vocabulary 30522. */
    public static SyntheticBert large(long seed) {
        return new SyntheticBert(1024, 16, 24, 4096, 30522, 512, 2, seed);
    }

    private float[] normal(String name, int n) {
        SplittableRandom r = new SplittableRandom(seed ^ name.hashCode() * 0x9E3779B97F4A7C15L);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (gaussian(r) * 0.02);
        }
        return v;
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private static float[] filled(int n, float value) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, value);
        return v;
    }

    @Override public float[] wordEmbeddings() { return normal("word", vocabSize * hidden); }
    @Override public float[] positionEmbeddings() { return normal("position", maxPositions * hidden); }
    @Override public float[] tokenTypeEmbeddings() { return normal("type", typeVocabSize * hidden); }
    @Override public float[] embeddingLnGamma() { return filled(hidden, 1); }
    @Override public float[] embeddingLnBeta() { return new float[hidden]; }
    @Override public float[] query(int l) { return normal("q" + l, hidden * hidden); }
    @Override public float[] queryBias(int l) { return new float[hidden]; }
    @Override public float[] key(int l) { return normal("k" + l, hidden * hidden); }
    @Override public float[] keyBias(int l) { return new float[hidden]; }
    @Override public float[] value(int l) { return normal("v" + l, hidden * hidden); }
    @Override public float[] valueBias(int l) { return new float[hidden]; }
    @Override public float[] attentionOutput(int l) { return normal("o" + l, hidden * hidden); }
    @Override public float[] attentionOutputBias(int l) { return new float[hidden]; }
    @Override public float[] attentionLnGamma(int l) { return filled(hidden, 1); }
    @Override public float[] attentionLnBeta(int l) { return new float[hidden]; }
    @Override public float[] ffnIn(int l) { return normal("i" + l, hidden * intermediate); }
    @Override public float[] ffnInBias(int l) { return new float[intermediate]; }
    @Override public float[] ffnOut(int l) { return normal("f" + l, intermediate * hidden); }
    @Override public float[] ffnOutBias(int l) { return new float[hidden]; }
    @Override public float[] outputLnGamma(int l) { return filled(hidden, 1); }
    @Override public float[] outputLnBeta(int l) { return new float[hidden]; }
}
