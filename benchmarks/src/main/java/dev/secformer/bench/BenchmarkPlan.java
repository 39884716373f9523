package dev.secformer.bench;

import dev.secformer.net.LinkShape;
import dev.secformer.nn.secure.PlainBertWeights;
import java.util.ArrayList;
import java.util.List;

/**
 * What to measure: a model, the request's size, the protocol suites, the runs per suite, the
 * transport and the truncation. {@link #run} measures each suite in turn on the same model and input, then the
 * plaintext yardstick: ONNX Runtime when the model is an ONNX export, else FloatBert on ND4J.
 */
public record BenchmarkPlan(BenchmarkModel model, int seq, int batch, List<String> suites, int runs, Transport transport,
                            LinkShape link, int clients, int requests, TruncationMode truncation) {
    public BenchmarkPlan {
        suites = List.copyOf(suites);
    }

    /** Steps reported to the progress listener: one per suite and run (and load), one for the plaintext timing. */
    public long steps() {
        return (long) suites.size() * (runs + (clients > 0 ? 1 : 0)) + 1;
    }

    /** Runs the plan. */
    public BenchmarkResult run(ProgressListener progress) {
        PlainBertWeights w = model.weights();
        BenchmarkInput in = BenchmarkInput.random(w.vocabSize(), batch, seq);
        List<SuiteResult> results = new ArrayList<>();
        for (String suite : suites) {
            results.add(transport == Transport.NETTY
                    ? NettySuiteRunner.run(w, suite, in, runs, link, clients, requests, truncation.fixedPoint(), progress)
                    : SecureSuiteRunner.run(w, suite, in, runs, truncation.fixedPoint(), progress));
        }
        // After the secure runs: ND4J's native BLAS threads would otherwise compete with the ring kernels.
        // A full collection first lets the JVM give back the heap the secure sessions grew: ND4J's
        // arrays live outside it, and BERT-large's secure heap leaves no room for them on 24 GiB.
        System.gc();
        String runtime = model.onnx() != null ? "ONNX Runtime, " + Runtime.getRuntime().availableProcessors() + " threads"
                : "float32 FloatBert on ND4J";
        progress.working("plaintext (" + runtime + ")");
        double plain = model.onnx() != null ? OnnxRuntimeTimer.bestOfThreeSeconds(model.onnx(), in)
                : PlaintextTimer.bestOfThreeSeconds(w, in);
        progress.stepDone();
        return new BenchmarkResult(model, seq, batch, transport, link, truncation, results, plain, runtime);
    }
}
