package dev.secformer.nn.train;

import dev.secformer.nn.text.WordPieceTokenizer;
import java.util.List;

/**
 * A batch of tokenized examples padded to one length: ids, token types and the keep mask row-major
 * by sequence ([B n]), and one label per example (a class index or a regression target; NaN when
 * the data has none).
 */
public record Batch(int[] ids, int[] types, float[] keep, int seq, float[] labels) {
    public Batch {
        if (seq < 1 || ids.length % seq != 0 || ids.length == 0 || types.length != ids.length
                || keep.length != ids.length || labels.length != ids.length / seq) {
            throw new IllegalArgumentException("inconsistent batch: " + ids.length + " ids, " + types.length
                    + " types, " + keep.length + " mask values, " + labels.length + " labels, length " + seq);
        }
    }

    /** Number of sequences. */
    public int size() {
        return ids.length / seq;
    }

    /** Examples padded (with [PAD] = {@code pad}) or truncated to {@code seq} tokens. */
    public static Batch of(List<Example> examples, int seq, int pad) {
        int b = examples.size();
        int[] ids = new int[b * seq];
        int[] types = new int[b * seq];
        float[] keep = new float[b * seq];
        float[] labels = new float[b];
        for (int i = 0; i < b; i++) {
            WordPieceTokenizer.Encoding e = examples.get(i).encoding();
            if (e.length() > seq) {
                throw new IllegalArgumentException("example " + i + " has " + e.length() + " tokens, more than " + seq);
            }
            java.util.Arrays.fill(ids, i * seq, (i + 1) * seq, pad);
            for (int t = 0; t < e.length(); t++) {
                ids[i * seq + t] = e.ids()[t];
                types[i * seq + t] = e.typeIds()[t];
                keep[i * seq + t] = e.mask()[t] ? 1 : 0;
            }
            labels[i] = examples.get(i).label();
        }
        return new Batch(ids, types, keep, seq, labels);
    }
}
