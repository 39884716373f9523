package dev.secformer.nn.train;

import dev.secformer.nn.BertWeights;
import dev.secformer.nn.secure.SecureHeadTest;
import dev.secformer.nn.secure.SyntheticBert;
import java.util.SplittableRandom;

/** Small random models and batches for the training tests. */
final class TinyModels {
    private TinyModels() {
    }

    /** H = 8, 2 heads, 1 layer, FFN 16, vocabulary 20, 8 positions, with a 3-label head if {@code labels > 0}. */
    static BertWeights tiny(long seed, int labels) {
        SyntheticBert s = new SyntheticBert(8, 2, 1, 16, 20, 8, 2, seed);
        return labels > 0 ? SecureHeadTest.withHead(s, labels) : SecureHeadTest.withHead(s, 1).withoutHead();
    }

    /** B sequences of length n with random ids in [3, vocab), the second half of the last one padded. */
    static Batch batch(SplittableRandom r, int b, int n, int vocab, int labels) {
        int[] ids = new int[b * n];
        int[] types = new int[b * n];
        float[] keep = new float[b * n];
        float[] y = new float[b];
        for (int i = 0; i < b; i++) {
            int real = i == b - 1 ? Math.max(1, n / 2) : n;
            for (int t = 0; t < n; t++) {
                ids[i * n + t] = t < real ? 3 + r.nextInt(vocab - 3) : 0;
                types[i * n + t] = t < real ? r.nextInt(2) : 0;
                keep[i * n + t] = t < real ? 1 : 0;
            }
            y[i] = labels > 0 ? r.nextInt(labels) : Float.NaN;
        }
        return new Batch(ids, types, keep, n, y);
    }
}
