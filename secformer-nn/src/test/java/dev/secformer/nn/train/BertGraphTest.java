package dev.secformer.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secformer.nn.BertWeights;
import dev.secformer.nn.FloatBert;
import dev.secformer.nn.ReferenceBert;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training graph against independent oracles: its forward pass against {@link FloatBert} and
 * {@link ReferenceBert} (last hidden state and head), its gradients against central finite
 * differences of its own loss in double precision, for every objective.
 */
class BertGraphTest {
    private static final int N = 6;

    private static int[][] rows(int[] flat, int b) {
        int[][] out = new int[b][N];
        for (int i = 0; i < b; i++) {
            System.arraycopy(flat, i * N, out[i], 0, N);
        }
        return out;
    }

    private static boolean[][] valid(float[] keep, int b) {
        boolean[][] out = new boolean[b][N];
        for (int i = 0; i < b * N; i++) {
            out[i / N][i % N] = keep[i] == 1;
        }
        return out;
    }

    @Test
    void forwardEqualsTheFloatAndReferenceModelsInBothAttentionModes() {
        BertWeights w = TinyModels.tiny(3, 3);
        Batch b = TinyModels.batch(new SplittableRandom(4), 3, N, 20, 3);
        for (ReferenceBert.Attention mode : ReferenceBert.Attention.values()) {
            BertGraph g = new BertGraph(w, mode, N, DataType.FLOAT);
            Map<String, INDArray> out = g.sameDiff().output(g.feed(b), "hidden_1", "logits");
            double[] got = out.get("hidden_1").dup('c').data().asDouble();
            double[] want = new FloatBert(w, mode, null, w.config().layerNormEps())
                    .forward(rows(b.ids(), 3), rows(b.types(), 3), valid(b.keep(), 3));
            double worst = 0;
            for (int i = 0; i < got.length; i++) {
                double expected = b.keep()[i / w.hidden()] == 1 ? want[i] : 0;
                worst = Math.max(worst, Math.abs(got[i] - expected));
            }
            assertTrue(worst < 1e-4, mode + ": max |graph - FloatBert| = " + worst);
            ReferenceBert ref = new ReferenceBert(w, mode, ReferenceBert::exactGelu, w.config().layerNormEps());
            double[] logits = ref.head(ref.forward(rows(b.ids(), 3), rows(b.types(), 3), valid(b.keep(), 3)), 3, N, Math::tanh);
            double[] gotLogits = out.get("logits").dup('c').data().asDouble();
            for (int i = 0; i < logits.length; i++) {
                assertEquals(logits[i], gotLogits[i], 1e-4, mode + ": logit " + i);
            }
        }
    }

    /** Largest relative gap between the analytic gradient and central differences on sampled entries. */
    private static double gradientGap(Trainer t, Batch b, SplittableRandom r) {
        Map<String, INDArray> grads = t.lossAndGradients(b).getGradients();
        double worst = 0;
        for (String v : t.student().variableNames()) {
            INDArray w = t.student().sameDiff().getVariable(v).getArr();
            for (int s = 0; s < 2; s++) {
                long i = r.nextLong(w.length());
                double x = w.getDouble(i);
                double h = 1e-6 * Math.max(1, Math.abs(x));
                w.putScalar(i, x + h);
                double up = t.loss(b);
                w.putScalar(i, x - h);
                double down = t.loss(b);
                w.putScalar(i, x);
                double numeric = (up - down) / (2 * h);
                double analytic = grads.containsKey(v) ? grads.get(v).getDouble(i) : 0; // absent: no influence
                worst = Math.max(worst, Math.abs(numeric - analytic) / Math.max(1e-3, Math.abs(numeric)));
            }
        }
        return worst;
    }

    @Test
    void gradientsOfEveryObjectiveMatchFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(5);
        Batch b = TinyModels.batch(r, 3, N, 20, 3);
        BertWeights teacherWeights = TinyModels.tiny(6, 3);
        for (Objective.Kind kind : Objective.Kind.values()) {
            for (int labels : new int[] {3, 1, 0}) {
                if (kind == Objective.Kind.LABELS && labels == 0 || kind == Objective.Kind.LAYERS && labels != 3) {
                    continue; // no head to train on labels; the layer loss does not depend on the head
                }
                BertWeights s = labels == 0 ? TinyModels.tiny(7, 1).withoutHead() : TinyModels.tiny(7, labels);
                BertWeights tw = labels == 0 ? teacherWeights.withoutHead() : TinyModels.tiny(6, labels);
                BertGraph student = new BertGraph(s, ReferenceBert.Attention.TWO_QUAD, N, DataType.DOUBLE);
                BertGraph teacher = kind == Objective.Kind.LABELS ? null
                        : new BertGraph(tw, ReferenceBert.Attention.SOFTMAX, N, DataType.DOUBLE);
                Batch batch = labels == 1 ? new Batch(b.ids(), b.types(), b.keep(), N, new float[] {0.3f, -1f, 2f}) : b;
                Trainer t = new Trainer(student, teacher, kind, new AdamW(1e-3, 0, 0));
                double gap = gradientGap(t, batch, r);
                assertTrue(gap < 1e-5, kind + " with " + labels + " labels: relative gradient error " + gap);
            }
        }
    }

    @Test
    void refusesBatchesOfAnotherLengthAndSequencesLongerThanThePositions() {
        BertWeights w = TinyModels.tiny(3, 3);
        BertGraph g = new BertGraph(w, ReferenceBert.Attention.SOFTMAX, N, DataType.FLOAT);
        Batch other = TinyModels.batch(new SplittableRandom(1), 2, N - 1, 20, 3);
        assertThrows(IllegalArgumentException.class, () -> g.feed(other));
        assertThrows(IllegalArgumentException.class, () -> new BertGraph(w, ReferenceBert.Attention.SOFTMAX, 9, DataType.FLOAT));
    }
}
