package dev.secformer.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secformer.core.TwoPartyRuntime;
import dev.secformer.nn.BertWeights;
import dev.secformer.nn.ReferenceBert;
import dev.secformer.nn.secure.InProcessBert;
import dev.secformer.nn.secure.ProtocolSuites;
import dev.secformer.nn.secure.SecureHeadTest;
import dev.secformer.nn.secure.SyntheticBert;
import dev.secformer.nn.text.WordPieceTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The acceptance test of distillation on a task the test makes: sequences of up to 10 tokens
 * from 20 words, labelled 1 when "positive" words (5 of them) outnumber "negative" ones (5 others).
 * A 2-layer teacher (hidden 64, 4 heads, softmax) is trained on it here, then distilled into a
 * 2Quad student. On held-out sequences, the student must agree with the teacher far more often
 * than the teacher's own weights run with 2Quad (no distillation), and as often inside MPC (the
 * secure SecFormer suite) as in plaintext.
 */
class DistillationTest {
    private static final int SEQ = 12;
    private static final int VOCAB = 24;

    @TempDir
    Path dir;

    /**
     * [CLS] w1 .. wk [SEP] with k in [4, 10] over words 4..23; w1 is "positive" (4..8) or
     * "negative" (9..13), the others any word; the label is w1's class. The rest of the sequence
     * is noise of both classes, so the model must attend to one position: sharp attention, which
     * 2Quad does not give without distillation.
     */
    static List<Example> task(SplittableRandom r, int count) {
        List<Example> out = new ArrayList<>();
        while (out.size() < count) {
            int k = 4 + r.nextInt(7);
            int[] ids = new int[k + 2];
            ids[0] = 2;
            ids[k + 1] = 3;
            ids[1] = 4 + r.nextInt(10);
            for (int i = 2; i <= k; i++) {
                ids[i] = 4 + r.nextInt(VOCAB - 4);
            }
            boolean[] mask = new boolean[k + 2];
            Arrays.fill(mask, true);
            out.add(new Example(new WordPieceTokenizer.Encoding(ids, new int[k + 2], mask), ids[1] <= 8 ? 1 : 0));
        }
        return out;
    }

    private static int[] predictions(BertWeights w, ReferenceBert.Attention mode, List<Example> data) {
        BertGraph g = new BertGraph(w, mode, SEQ, DataType.FLOAT);
        double[] logits = g.sameDiff().output(g.feed(Batch.of(data, SEQ, 0)), "logits").get("logits")
                .dup('c').data().asDouble();
        return argmax(logits, data.size());
    }

    private static int[] argmax(double[] logits, int rows) {
        int[] out = new int[rows];
        for (int i = 0; i < rows; i++) {
            out[i] = logits[2 * i + 1] > logits[2 * i] ? 1 : 0;
        }
        return out;
    }

    private static double agreement(int[] a, int[] b) {
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        return (double) same / a.length;
    }

    @Test
    void distilledStudentAgreesWithItsTeacherFarMoreThanTheUndistilledModelAlsoInsideMpc() {
        SplittableRandom r = new SplittableRandom(42);
        List<Example> train = task(r, 1024);
        List<Example> heldOut = task(r, 400);

        BertWeights init = SecureHeadTest.withHead(new SyntheticBert(64, 4, 2, 128, VOCAB, 16, 2, 5), 2);
        BertGraph teacherGraph = new BertGraph(init, ReferenceBert.Attention.SOFTMAX, SEQ, DataType.FLOAT);
        Trainer fit = new Trainer(teacherGraph, null, Objective.Kind.LABELS, new AdamW(3e-3, 0.01, 20));
        long t0 = System.nanoTime();
        for (int step = 0; step < 200; step++) {
            int first = (step * 32) % train.size();
            fit.step(Batch.of(train.subList(first, first + 32), SEQ, 0));
        }
        BertWeights teacher = teacherGraph.weights();
        System.out.printf(Locale.ROOT, "teacher: 200 steps in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        int[] truth = new int[heldOut.size()];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = (int) heldOut.get(i).label();
        }
        int[] t = predictions(teacher, ReferenceBert.Attention.SOFTMAX, heldOut);
        double teacherAccuracy = agreement(t, truth);
        double undistilled = agreement(t, predictions(teacher, ReferenceBert.Attention.TWO_QUAD, heldOut));

        long start = System.nanoTime();
        Distillation.Settings s = new Distillation.Settings(SEQ, 32, 2, 1e-3, 1, 5e-4, 0.1, 0, 7);
        List<Double> losses = new ArrayList<>();
        BertWeights student = new Distillation(teacher, s).run(train, (stage, step, steps, loss) -> losses.add(loss)).orElseThrow();
        double seconds = (System.nanoTime() - start) / 1e9;
        double distilled = agreement(t, predictions(student, ReferenceBert.Attention.TWO_QUAD, heldOut));

        List<Example> secureSet = heldOut.subList(0, 64);
        Batch b = Batch.of(secureSet, SEQ, 0);
        int[][] ids = new int[64][SEQ];
        int[][] types = new int[64][SEQ];
        boolean[][] valid = new boolean[64][SEQ];
        for (int i = 0; i < 64 * SEQ; i++) {
            ids[i / SEQ][i % SEQ] = b.ids()[i];
            valid[i / SEQ][i % SEQ] = b.keep()[i] == 1;
        }
        double[] secureLogits;
        double meanTerm = AttentionRange.maxMeanTerm(student, List.of(Batch.of(train.subList(0, 256), SEQ, 0)));
        try (InProcessBert bert = new InProcessBert(student, ProtocolSuites.secformer(2 * meanTerm), new TwoPartyRuntime())) {
            secureLogits = bert.infer(ids, types, valid).head();
        }
        double secure = agreement(Arrays.copyOf(t, 64), argmax(secureLogits, 64));
        double plainOnSecureSet = agreement(Arrays.copyOf(t, 64), Arrays.copyOf(predictions(student, ReferenceBert.Attention.TWO_QUAD, heldOut), 64));

        System.out.printf(Locale.ROOT, "teacher accuracy %.3f; agreement with the teacher on %d held-out sequences: "
                        + "undistilled 2Quad %.3f, distilled student %.3f (%d steps in %.1f s, loss %.4f -> %.4f); "
                        + "on %d of them: student in plaintext %.3f, inside MPC %.3f (2Quad mean terms up to %.0f)%n",
                teacherAccuracy, heldOut.size(), undistilled, distilled, losses.size(), seconds, losses.get(0),
                losses.get(losses.size() - 1), 64, plainOnSecureSet, secure, meanTerm);
        assertTrue(teacherAccuracy >= 0.9, "the teacher learnt the task: " + teacherAccuracy);
        assertTrue(distilled >= 0.95, "distilled agreement " + distilled);
        assertTrue(undistilled <= 0.75, "the task needs sharp attention, which 2Quad lacks: " + undistilled);
        assertTrue(distilled - undistilled >= 0.2, "distillation must help: " + undistilled + " -> " + distilled);
        assertTrue(secure >= plainOnSecureSet - 2.0 / 64, "MPC " + secure + " vs plaintext " + plainOnSecureSet);
        assertEquals(s.layerEpochs() * 32L + s.outputEpochs() * 32L, losses.size());
    }
}
