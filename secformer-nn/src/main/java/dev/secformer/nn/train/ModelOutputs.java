package dev.secformer.nn.train;

import dev.secformer.core.TwoPartyRuntime;
import dev.secformer.nn.BertWeights;
import dev.secformer.nn.ReferenceBert;
import dev.secformer.nn.SentenceEmbedding;
import dev.secformer.nn.secure.BertInference;
import dev.secformer.nn.secure.InProcessBert;
import dev.secformer.nn.secure.ProtocolSuite;
import java.util.List;
import java.util.function.IntConsumer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A model's outputs on examples, one row per example: the classifier's logits if the model has a
 * head, else the mean-pooled last hidden state. In plaintext (float32, exact GeLU and LayerNorm,
 * softmax or 2Quad) or inside MPC (the secure model in the in-process simulator).
 */
public final class ModelOutputs {
    /** Sequences per secure inference. */
    private static final int SECURE_BATCH = 8;

    /** The outputs and, for a secure run, its total cost. */
    public record Result(double[][] rows, long onlineBytes, long rounds, double seconds) {
    }

    private ModelOutputs() {
    }

    private static boolean hasHead(BertWeights w) {
        return w.tensors().containsKey("classifier.weight");
    }

    /** Plaintext outputs, in batches of 32 padded to the longest example. */
    public static Result plaintext(BertWeights w, ReferenceBert.Attention attention, List<Example> examples, int pad) {
        int seq = examples.stream().mapToInt(e -> e.encoding().length()).max().orElseThrow();
        BertGraph g = new BertGraph(w, attention, seq, DataType.FLOAT);
        String output = hasHead(w) ? "logits" : "pooled";
        double[][] rows = new double[examples.size()][];
        long start = System.nanoTime();
        for (int from = 0; from < examples.size(); from += 32) {
            List<Example> part = examples.subList(from, Math.min(examples.size(), from + 32));
            double[] v = g.sameDiff().output(g.feed(Batch.of(part, seq, pad)), output).get(output)
                    .castTo(DataType.DOUBLE).dup('c').data().asDouble();
            int width = v.length / part.size();
            for (int i = 0; i < part.size(); i++) {
                rows[from + i] = java.util.Arrays.copyOfRange(v, i * width, (i + 1) * width);
            }
        }
        return new Result(rows, 0, 0, (System.nanoTime() - start) / 1e9);
    }

    /** Outputs of the secure model, in batches of 8 padded to the longest example of each. */
    public static Result secure(BertWeights w, ProtocolSuite suite, List<Example> examples, int pad) {
        return secure(w, suite, examples, pad, done -> { });
    }

    /** As {@link #secure(BertWeights, ProtocolSuite, List, int)}, telling {@code progress} the examples done after each batch. */
    public static Result secure(BertWeights w, ProtocolSuite suite, List<Example> examples, int pad, IntConsumer progress) {
        double[][] rows = new double[examples.size()][];
        long bytes = 0;
        long rounds = 0;
        double seconds = 0;
        int h = w.hidden();
        try (InProcessBert bert = new InProcessBert(w, suite, new TwoPartyRuntime())) {
            for (int from = 0; from < examples.size(); from += SECURE_BATCH) {
                List<Example> part = examples.subList(from, Math.min(examples.size(), from + SECURE_BATCH));
                int seq = part.stream().mapToInt(e -> e.encoding().length()).max().orElseThrow();
                Batch b = Batch.of(part, seq, pad);
                int[][] ids = new int[part.size()][seq];
                int[][] types = new int[part.size()][seq];
                boolean[][] valid = new boolean[part.size()][seq];
                for (int i = 0; i < part.size() * seq; i++) {
                    ids[i / seq][i % seq] = b.ids()[i];
                    types[i / seq][i % seq] = b.types()[i];
                    valid[i / seq][i % seq] = b.keep()[i] == 1;
                }
                BertInference r = bert.infer(ids, types, valid);
                bytes += r.cost().total().onlineBytes();
                rounds += r.cost().total().rounds();
                seconds += r.cost().onlineSeconds();
                for (int i = 0; i < part.size(); i++) {
                    if (hasHead(w)) {
                        int labels = r.head().length / part.size();
                        rows[from + i] = java.util.Arrays.copyOfRange(r.head(), i * labels, (i + 1) * labels);
                    } else {
                        rows[from + i] = SentenceEmbedding.meanPool(r.hidden(), valid[i], i, h);
                    }
                }
                progress.accept(from + part.size());
            }
        }
        return new Result(rows, bytes, rounds, seconds);
    }

    /** The class of each row of logits (the largest), or the single output of a regression head. */
    public static double[] predictions(double[][] logits) {
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            if (logits[i].length == 1) {
                out[i] = logits[i][0];
                continue;
            }
            int best = 0;
            for (int c = 1; c < logits[i].length; c++) {
                if (logits[i][c] > logits[i][best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Mean cosine similarity of corresponding rows. */
    public static double meanCosine(double[][] a, double[][] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += SentenceEmbedding.cosine(a[i], b[i]);
        }
        return sum / a.length;
    }
}
