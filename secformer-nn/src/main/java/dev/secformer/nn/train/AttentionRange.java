package dev.secformer.nn.train;

import dev.secformer.nn.BertWeights;
import dev.secformer.nn.ReferenceBert;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The largest 2Quad mean term of a model on sample data: over every layer, head and real query
 * row, the mean over the row's real keys of (s + 5)^2, s the scaled attention score. The secure
 * 2Quad protocol's division is set up for a range of mean terms ({@code TwoQuadSoftmax}); a
 * distilled model can exceed the default, and this is how to find the bound to give it
 * ({@code ProtocolSuites.secformer(double)}).
 */
public final class AttentionRange {
    private AttentionRange() {
    }

    /** The largest mean term of {@code w} in 2Quad mode over the batches. */
    public static double maxMeanTerm(BertWeights w, List<Batch> batches) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("no batches to measure on");
        }
        int seq = batches.get(0).seq();
        BertGraph g = new BertGraph(w, ReferenceBert.Attention.TWO_QUAD, seq, DataType.FLOAT);
        int layers = w.config().layers();
        String[] names = new String[layers];
        for (int l = 0; l < layers; l++) {
            names[l] = "scores_" + l;
        }
        double max = 0;
        for (Batch b : batches) {
            var out = g.sameDiff().output(g.feed(b), names);
            for (String name : names) {
                max = Math.max(max, largestRowMean(out.get(name), b));
            }
        }
        return max;
    }

    private static double largestRowMean(INDArray scores, Batch b) {
        int seq = b.seq();
        float[] s = scores.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int heads = (int) scores.size(1);
        double max = 0;
        for (int i = 0; i < b.size(); i++) {
            int real = 0;
            for (int t = 0; t < seq; t++) {
                real += b.keep()[i * seq + t] == 1 ? 1 : 0;
            }
            for (int h = 0; h < heads; h++) {
                for (int q = 0; q < seq; q++) {
                    if (b.keep()[i * seq + q] != 1) {
                        continue;
                    }
                    double sum = 0;
                    for (int k = 0; k < seq; k++) {
                        if (b.keep()[i * seq + k] == 1) {
                            double v = s[((i * heads + h) * seq + q) * seq + k] + BertGraph.QUAD_SHIFT;
                            sum += v * v;
                        }
                    }
                    max = Math.max(max, sum / real);
                }
            }
        }
        return max;
    }
}
