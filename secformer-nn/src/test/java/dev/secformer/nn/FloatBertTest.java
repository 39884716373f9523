package dev.secformer.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secformer.nn.text.WordPieceTokenizer;
import dev.secformer.protocols.SecureGelu;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ND4J float32 model against ONNX Runtime and against the double reference in SecFormer's mode. */
class FloatBertTest {
    static BertWeights weights;
    static List<WordPieceTokenizer.Encoding> batch;

    @BeforeAll
    static void load() throws Exception {
        weights = DefaultModel.weights();
        WordPieceTokenizer tok = DefaultModel.tokenizer();
        List<WordPieceTokenizer.Encoding> b = new ArrayList<>();
        for (String s : MiniLmOracle.SENTENCES) {
            b.add(tok.encode(s, 128));
        }
        batch = tok.padToLongest(b);
    }

    private static double maxDiff(double[] a, double[] b) {
        int n = batch.get(0).length();
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            int row = i / weights.hidden();
            if (batch.get(row / n).mask()[row % n]) {
                max = Math.max(max, Math.abs(a[i] - b[i]));
            }
        }
        return max;
    }

    private static double[] run(FloatBert m) {
        return m.forward(MiniLmOracle.ids(batch), MiniLmOracle.typeIds(batch), MiniLmOracle.masks(batch));
    }

    @Test
    void exactModelMatchesOnnxRuntimeOnAPaddedBatchOfRealSentences() throws Exception {
        double[] got = run(new FloatBert(weights, ReferenceBert.Attention.SOFTMAX, null, weights.config().layerNormEps()));
        double diff = maxDiff(MiniLmOracle.lastHiddenState(batch), got);
        System.out.printf("FloatBert vs ONNX Runtime, %d sentences: max abs difference %.3g%n", batch.size(), diff);
        assertTrue(diff <= 1e-4, "max |FloatBert - ONNX Runtime| = " + diff);
    }

    @Test
    void secformerModeMatchesTheDoubleReferenceInTheSameMode() {
        SecureGelu gelu = new SecureGelu();
        double[] got = run(new FloatBert(weights, ReferenceBert.Attention.TWO_QUAD, gelu::reference, 1e-5));
        double[] want = new ReferenceBert(weights, ReferenceBert.Attention.TWO_QUAD, gelu::reference, 1e-5)
                .forward(MiniLmOracle.ids(batch), MiniLmOracle.typeIds(batch), MiniLmOracle.masks(batch));
        double diff = maxDiff(want, got);
        double exactDiff = maxDiff(want, run(new FloatBert(weights, ReferenceBert.Attention.SOFTMAX, null, 1e-5)));
        System.out.printf("FloatBert vs ReferenceBert, 2Quad + SecFormer GeLU: max abs difference %.3g%n", diff);
        // float32 rounding through 6 layers; the modes themselves differ by far more
        assertTrue(diff <= 1e-4, "max |FloatBert - ReferenceBert| in SecFormer's mode = " + diff);
        assertTrue(exactDiff > 100 * diff, "the switch changes the model: " + exactDiff);
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        FloatBert m = new FloatBert(weights, ReferenceBert.Attention.SOFTMAX, null, 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.forward(new int[][] {{1, 40000}}, new int[1][2], new boolean[][] {{true, true}}));
        assertTrue(e.getMessage().contains("token id 40000"), e.getMessage());
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                () -> m.forward(new int[][] {{1, 2}, {1}}, new int[][] {{0, 0}, {0}}, new boolean[][] {{true, true}, {true}}));
        assertTrue(ragged.getMessage().contains("sequence 1"), ragged.getMessage());
    }
}
