package dev.secformer.nn;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.secformer.nn.text.WordPieceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/** ONNX Runtime on the original all-MiniLM-L6-v2 export: the independent oracle of the nn tests. */
final class MiniLmOracle {
    private static OrtSession session;

    private MiniLmOracle() {
    }

    static synchronized OrtSession session() throws IOException, OrtException {
        if (session == null) {
            try (InputStream in = MiniLmOracle.class.getClassLoader().getResourceAsStream(DefaultModel.ONNX_RESOURCE)) {
                session = OrtEnvironment.getEnvironment().createSession(in.readAllBytes(), new OrtSession.SessionOptions());
            }
        }
        return session;
    }

    /** last_hidden_state [B*n, 384] row-major for a padded batch. */
    static double[] lastHiddenState(List<WordPieceTokenizer.Encoding> batch) throws Exception {
        int b = batch.size();
        int n = batch.get(0).length();
        long[][] ids = new long[b][n];
        long[][] types = new long[b][n];
        long[][] mask = new long[b][n];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < n; j++) {
                ids[i][j] = batch.get(i).ids()[j];
                types[i][j] = batch.get(i).typeIds()[j];
                mask[i][j] = batch.get(i).mask()[j] ? 1 : 0;
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor a = OnnxTensor.createTensor(env, ids); OnnxTensor m = OnnxTensor.createTensor(env, mask);
             OnnxTensor t = OnnxTensor.createTensor(env, types);
             OrtSession.Result r = session().run(Map.of("input_ids", a, "attention_mask", m, "token_type_ids", t))) {
            float[][][] out = (float[][][]) r.get(0).getValue();
            double[] flat = new double[b * n * out[0][0].length];
            int pos = 0;
            for (float[][] s : out) {
                for (float[] row : s) {
                    for (float v : row) {
                        flat[pos++] = v;
                    }
                }
            }
            return flat;
        }
    }

    static int[][] ids(List<WordPieceTokenizer.Encoding> batch) {
        return batch.stream().map(WordPieceTokenizer.Encoding::ids).toArray(int[][]::new);
    }

    static int[][] typeIds(List<WordPieceTokenizer.Encoding> batch) {
        return batch.stream().map(WordPieceTokenizer.Encoding::typeIds).toArray(int[][]::new);
    }

    static boolean[][] masks(List<WordPieceTokenizer.Encoding> batch) {
        return batch.stream().map(WordPieceTokenizer.Encoding::mask).toArray(boolean[][]::new);
    }

    static final List<String> SENTENCES = List.of(
            "The quick brown fox jumps over the lazy dog.",
            "Secure inference keeps both the input and the model private.",
            "Hi!",
            "Zürich's café served crème brûlée at 7:30 p.m., didn't it?",
            "Transformers process sequences with self-attention; each layer mixes information across tokens.");
}
