package dev.secformer.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secformer.nn.onnx.OnnxBertLoader;
import dev.secformer.nn.text.WordPieceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ONNX loader and the double reference against ONNX Runtime on the real checkpoint. */
class OnnxBertLoaderTest {
    static BertWeights weights;
    static WordPieceTokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        weights = DefaultModel.weights();
        tokenizer = DefaultModel.tokenizer();
    }

    @Test
    void configIsInferredFromTheGraph() {
        BertConfig c = weights.config();
        assertEquals(new BertConfig(384, 6, 12, 1536, 30522, 512, 2, c.layerNormEps()), c);
        assertEquals(1e-12, c.layerNormEps(), 1e-18, "epsilon read from the graph (stored as float32)");
    }

    static double[] reference(List<WordPieceTokenizer.Encoding> batch) {
        return new ReferenceBert(weights, ReferenceBert.Attention.SOFTMAX, ReferenceBert::exactGelu,
                weights.config().layerNormEps()).forward(MiniLmOracle.ids(batch), MiniLmOracle.typeIds(batch),
                MiniLmOracle.masks(batch));
    }

    @Test
    void referenceMatchesOnnxRuntimeOnRealSentencesWithPadding() throws Exception {
        List<WordPieceTokenizer.Encoding> batch = new ArrayList<>();
        for (String s : MiniLmOracle.SENTENCES) {
            batch.add(tokenizer.encode(s, 128));
        }
        batch = tokenizer.padToLongest(batch);
        double[] want = MiniLmOracle.lastHiddenState(batch);
        double[] got = reference(batch);
        int n = batch.get(0).length();
        double max = 0;
        for (int i = 0; i < want.length; i++) {
            int row = i / 384;
            if (batch.get(row / n).mask()[row % n]) {
                max = Math.max(max, Math.abs(want[i] - got[i]));
            }
        }
        assertTrue(max <= 1e-4, "max |reference - ONNX Runtime| = " + max);
    }

    @Test
    void badFilesAreReportedWithTheirNameAndProblem() throws Exception {
        IOException missing = assertThrows(IOException.class, () -> OnnxBertLoader.load(Path.of("/nonexistent/model.onnx")));
        assertTrue(missing.getMessage().contains("/nonexistent/model.onnx"), missing.getMessage());
        byte[] head;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(DefaultModel.ONNX_RESOURCE)) {
            head = in.readNBytes(1 << 20);
        }
        IOException truncated = assertThrows(IOException.class,
                () -> OnnxBertLoader.load(new ByteArrayInputStream(head), "cut.onnx"));
        assertTrue(truncated.getMessage().startsWith("cut.onnx: "), truncated.getMessage());
        IOException garbage = assertThrows(IOException.class,
                () -> OnnxBertLoader.load(new ByteArrayInputStream("not a model".getBytes()), "text.onnx"));
        assertTrue(garbage.getMessage().startsWith("text.onnx: "), garbage.getMessage());
    }
}
