package dev.secformer.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.secformer.nn.BertWeights;
import dev.secformer.nn.ReferenceBert;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Each loss against its definition computed in plain Java from the graphs' outputs. */
class ObjectiveTest {
    private static final int N = 6;
    private static final ReferenceBert.Attention QUAD = ReferenceBert.Attention.TWO_QUAD;
    private static final ReferenceBert.Attention SOFTMAX = ReferenceBert.Attention.SOFTMAX;

    private static double[] values(BertGraph g, Batch b, String name) {
        return g.sameDiff().output(g.feed(b), name).get(name).dup('c').data().asDouble();
    }

    private static double meanSquaredDifference(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return s / a.length;
    }

    private static double[] logSoftmax(double[] z, int row, int c) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) {
            max = Math.max(max, z[row * c + j]);
        }
        double sum = 0;
        for (int j = 0; j < c; j++) {
            sum += Math.exp(z[row * c + j] - max);
        }
        double[] out = new double[c];
        for (int j = 0; j < c; j++) {
            out[j] = z[row * c + j] - max - Math.log(sum);
        }
        return out;
    }

    @Test
    void layerLossIsTheSumOfPerLayerMeanSquaredDifferencesWithPaddingZeroed() {
        Batch b = TinyModels.batch(new SplittableRandom(1), 3, N, 20, 3);
        BertGraph teacher = new BertGraph(TinyModels.tiny(2, 3), SOFTMAX, N, DataType.DOUBLE);
        BertGraph student = new BertGraph(TinyModels.tiny(3, 3), QUAD, N, DataType.DOUBLE);
        Trainer t = new Trainer(student, teacher, Objective.Kind.LAYERS, new AdamW(1e-3, 0, 0));
        double want = meanSquaredDifference(values(student, b, "scores_0"), values(teacher, b, "scores_0"))
                + meanSquaredDifference(values(student, b, "hidden_0"), values(teacher, b, "hidden_0"))
                + meanSquaredDifference(values(student, b, "hidden_1"), values(teacher, b, "hidden_1"));
        assertEquals(want, t.loss(b), 1e-12 * Math.max(1, want));
        // padded query rows and key columns are zero in the scores the loss compares
        double[] s = values(student, b, "scores_0");
        int last = 2;
        for (int head = 0; head < 2; head++) {
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < N; j++) {
                    if (i >= N / 2 || j >= N / 2) {
                        assertEquals(0.0, Math.abs(s[((last * 2 + head) * N + i) * N + j]), "padded entry " + i + ", " + j);
                    }
                }
            }
        }
        Trainer same = new Trainer(new BertGraph(TinyModels.tiny(2, 3), SOFTMAX, N, DataType.DOUBLE), teacher,
                Objective.Kind.LAYERS, new AdamW(1e-3, 0, 0));
        assertEquals(0.0, same.loss(b), 1e-20, "a student equal to its teacher has zero loss");
    }

    @Test
    void outputLossIsSoftCrossEntropyOnLogits() {
        Batch b = TinyModels.batch(new SplittableRandom(4), 3, N, 20, 3);
        BertGraph teacher = new BertGraph(TinyModels.tiny(2, 3), SOFTMAX, N, DataType.DOUBLE);
        BertGraph student = new BertGraph(TinyModels.tiny(3, 3), QUAD, N, DataType.DOUBLE);
        double[] zs = values(student, b, "logits");
        double[] zt = values(teacher, b, "logits");
        double want = 0;
        for (int i = 0; i < 3; i++) {
            double[] ls = logSoftmax(zs, i, 3);
            double[] lt = logSoftmax(zt, i, 3);
            for (int c = 0; c < 3; c++) {
                want -= Math.exp(lt[c]) * ls[c];
            }
        }
        want /= 3;
        double got = new Trainer(student, teacher, Objective.Kind.OUTPUT, new AdamW(1e-3, 0, 0)).loss(b);
        assertEquals(want, got, 1e-12);
    }

    @Test
    void outputLossOfAnEncoderIsTheMeanSquaredDifferenceOfMeanPooledStates() {
        Batch b = TinyModels.batch(new SplittableRandom(5), 3, N, 20, 0);
        BertGraph teacher = new BertGraph(TinyModels.tiny(2, 3).withoutHead(), SOFTMAX, N, DataType.DOUBLE);
        BertGraph student = new BertGraph(TinyModels.tiny(3, 3).withoutHead(), QUAD, N, DataType.DOUBLE);
        double[][] pooled = new double[2][];
        BertGraph[] graphs = {student, teacher};
        for (int g = 0; g < 2; g++) {
            double[] h = values(graphs[g], b, "hidden_1");
            pooled[g] = new double[3 * 8];
            for (int i = 0; i < 3; i++) {
                int real = 0;
                for (int t = 0; t < N; t++) {
                    if (b.keep()[i * N + t] == 1) {
                        real++;
                        for (int k = 0; k < 8; k++) {
                            pooled[g][i * 8 + k] += h[(i * N + t) * 8 + k];
                        }
                    }
                }
                for (int k = 0; k < 8; k++) {
                    pooled[g][i * 8 + k] /= real;
                }
            }
        }
        double got = new Trainer(student, teacher, Objective.Kind.OUTPUT, new AdamW(1e-3, 0, 0)).loss(b);
        assertEquals(meanSquaredDifference(pooled[0], pooled[1]), got, 1e-12);
    }

    @Test
    void labelLossIsCrossEntropyOnHardLabels() {
        Batch b = TinyModels.batch(new SplittableRandom(6), 3, N, 20, 3);
        BertGraph student = new BertGraph(TinyModels.tiny(3, 3), SOFTMAX, N, DataType.DOUBLE);
        double[] z = values(student, b, "logits");
        double want = 0;
        for (int i = 0; i < 3; i++) {
            want -= logSoftmax(z, i, 3)[(int) b.labels()[i]];
        }
        Trainer t = new Trainer(student, null, Objective.Kind.LABELS, new AdamW(1e-3, 0, 0));
        assertEquals(want / 3, t.loss(b), 1e-12);
        Batch bad = new Batch(b.ids(), b.types(), b.keep(), N, new float[] {0, 3, 1});
        assertThrows(IllegalArgumentException.class, () -> t.loss(bad), "label 3 of a 3-class head");
    }

    @Test
    void objectivesCheckTheirInputs() {
        BertWeights encoder = TinyModels.tiny(3, 3).withoutHead();
        BertGraph g = new BertGraph(encoder, QUAD, N, DataType.DOUBLE);
        assertThrows(IllegalArgumentException.class, () -> new Trainer(g, null, Objective.Kind.LABELS, new AdamW(1e-3, 0, 0)));
        assertThrows(IllegalArgumentException.class, () -> new Trainer(g, null, Objective.Kind.LAYERS, new AdamW(1e-3, 0, 0)));
        BertGraph shorter = new BertGraph(encoder, SOFTMAX, N - 1, DataType.DOUBLE);
        assertThrows(IllegalArgumentException.class, () -> new Trainer(g, shorter, Objective.Kind.LAYERS, new AdamW(1e-3, 0, 0)));
    }
}
