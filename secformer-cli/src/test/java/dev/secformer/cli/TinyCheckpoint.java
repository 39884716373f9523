package dev.secformer.cli;

import dev.secformer.nn.BertWeights;
import dev.secformer.nn.hf.HuggingFaceCheckpoint;
import dev.secformer.nn.secure.SyntheticBert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A tiny BERT checkpoint (hidden 16, 1 layer, the letters as vocabulary) and a corpus of letter sequences. */
final class TinyCheckpoint {
    private TinyCheckpoint() {
    }

    /** Writes the checkpoint folder {@code dir}, with a 2-class head if {@code head}. */
    static Path write(Path dir, boolean head) throws IOException {
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        for (char c = 'a'; c <= 'z'; c++) {
            vocab.add(String.valueOf(c));
        }
        Files.createDirectories(dir);
        Path vocabFile = dir.resolveSibling(dir.getFileName() + "-vocab.txt");
        Files.write(vocabFile, vocab);
        BertWeights w = BertWeights.copyOf(new SyntheticBert(16, 2, 1, 32, vocab.size(), 16, 2, 3), 1e-12);
        // BERT's initial scale (0.02) makes every input look alike; 0.3 makes outputs depend on the input
        java.util.Map<String, float[]> t = new java.util.HashMap<>(w.tensors());
        for (java.util.Map.Entry<String, float[]> e : t.entrySet()) {
            if (e.getKey().endsWith(".weight")) {
                float[] v = e.getValue().clone();
                for (int i = 0; i < v.length; i++) {
                    v[i] *= 15;
                }
                e.setValue(v);
            }
        }
        w = new BertWeights(w.config(), t, "tiny");
        if (head) {
            SplittableRandom r = new SplittableRandom(5);
            t.put("pooler.weight", random(r, 16 * 16, 0.3));
            t.put("pooler.bias", random(r, 16, 0.1));
            t.put("classifier.weight", random(r, 16 * 2, 1));
            t.put("classifier.bias", new float[2]);
            w = new BertWeights(w.config(), t, "tiny with head");
        }
        HuggingFaceCheckpoint.write(dir, w, vocabFile);
        return dir;
    }

    private static float[] random(SplittableRandom r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((2 * r.nextDouble() - 1) * scale);
        }
        return v;
    }

    /** {@code count} lines of 2 to 9 random letters separated by spaces. */
    static List<String> lines(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < 2 + r.nextInt(8); k++) {
                sb.append((char) ('a' + r.nextInt(26))).append(' ');
            }
            lines.add(sb.toString().strip());
        }
        return lines;
    }
}
