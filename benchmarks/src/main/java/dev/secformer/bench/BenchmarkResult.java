package dev.secformer.bench;

import dev.secformer.net.LinkShape;
import dev.secformer.nn.secure.PlainBertWeights;
import java.util.List;

/**
 * One harness run: the model, the input's size, each suite's result in the order run, and the
 * plaintext yardstick.
 *
 * @param model            the model (its weights give layers and hidden size)
 * @param seq              tokens per sequence
 * @param batch            sequences per request
 * @param transport        how the parties talked
 * @param link             over Netty, the emulated party-to-party link, or null
 * @param suites           one result per protocol suite
 * @param plaintextSeconds plaintext inference of the same model and input, best of 3 after warm-up
 * @param plaintextRuntime what ran it: ONNX Runtime for an ONNX export, FloatBert on ND4J otherwise
 */
public record BenchmarkResult(BenchmarkModel model, int seq, int batch, Transport transport, LinkShape link,
                              TruncationMode truncation, List<SuiteResult> suites, double plaintextSeconds, String plaintextRuntime) {
    /** The model's weights. */
    public PlainBertWeights weights() {
        return model.weights();
    }

    /** The name of the suite the others are compared with. */
    public static final String REFERENCE_SUITE = "secformer";

    /** The suite the others are compared with: secformer if it ran, else the first. */
    public SuiteResult reference() {
        return suites.stream().filter(s -> s.suite().equals(REFERENCE_SUITE)).findFirst().orElse(suites.get(0));
    }

    /** Secure online time over plaintext time for one suite. */
    public double securePerPlaintext(SuiteResult suite) {
        return suite.seconds() / plaintextSeconds;
    }
}
