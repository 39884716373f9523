package dev.secformer.nn;

/** Sentence embeddings from an encoder's last hidden states (mean pooling, as sentence-transformers do). */
public final class SentenceEmbedding {
    private SentenceEmbedding() {
    }

    /**
     * The mean of sequence {@code b}'s real tokens' hidden states.
     *
     * @param hidden row-major {@code [B*n, h]}
     * @param mask   {@code mask[i]} true for the real tokens of that sequence (length n)
     */
    public static double[] meanPool(double[] hidden, boolean[] mask, int b, int h) {
        int n = mask.length;
        double[] out = new double[h];
        int real = 0;
        for (int i = 0; i < n; i++) {
            if (mask[i]) {
                real++;
                for (int j = 0; j < h; j++) {
                    out[j] += hidden[(b * n + i) * h + j];
                }
            }
        }
        for (int j = 0; j < h; j++) {
            out[j] /= Math.max(real, 1);
        }
        return out;
    }

    public static double cosine(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
