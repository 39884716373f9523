package dev.secformer.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The plaintext yardstick for a model given as an ONNX export: ONNX Runtime on the CPU with as many
 * intra-op threads as the machine has cores (what a plaintext inference service would run).
 */
final class OnnxRuntimeTimer {
    private OnnxRuntimeTimer() {
    }

    /** Best of 3 timed inferences after two untimed warm-ups. */
    static double bestOfThreeSeconds(Path onnx, BenchmarkInput in) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
            try (OrtSession session = env.createSession(onnx.toString(), options)) {
                Map<String, OnnxTensor> feed = feed(env, session, in);
                try {
                    double best = Double.MAX_VALUE;
                    for (int i = 0; i < 5; i++) {
                        long t0 = System.nanoTime();
                        session.run(feed).close();
                        if (i >= 2) {
                            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                        }
                    }
                    return best;
                } finally {
                    feed.values().forEach(OnnxTensor::close);
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not run " + onnx + ": " + e.getMessage(), e);
        }
    }

    /** input_ids, attention_mask and (when the export takes it) token_type_ids, as int64 [batch, seq]. */
    private static Map<String, OnnxTensor> feed(OrtEnvironment env, OrtSession session, BenchmarkInput in) throws OrtException {
        long[][] ids = new long[in.batch()][in.seq()];
        long[][] mask = new long[in.batch()][in.seq()];
        long[][] types = new long[in.batch()][in.seq()];
        for (int b = 0; b < in.batch(); b++) {
            for (int i = 0; i < in.seq(); i++) {
                ids[b][i] = in.tokenIds()[b][i];
                mask[b][i] = in.valid()[b][i] ? 1 : 0;
                types[b][i] = in.typeIds()[b][i];
            }
        }
        Map<String, OnnxTensor> feed = new HashMap<>();
        feed.put("input_ids", OnnxTensor.createTensor(env, ids));
        feed.put("attention_mask", OnnxTensor.createTensor(env, mask));
        if (session.getInputNames().contains("token_type_ids")) {
            feed.put("token_type_ids", OnnxTensor.createTensor(env, types));
        }
        return feed;
    }
}
