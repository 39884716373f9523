package dev.secformer.bench;

import dev.secformer.core.FixedPoint;
import dev.secformer.core.TwoPartyRuntime;
import dev.secformer.nn.secure.BertInference;
import dev.secformer.nn.secure.InProcessBert;
import dev.secformer.nn.secure.PlainBertWeights;
import dev.secformer.nn.secure.ProtocolSuites;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one protocol suite: loads the model into a fresh two-party session, then infers {@code runs}
 * times. The first inference records the correlation plan (drawing inline); before each later one the
 * session prepares that inference's correlations (the offline phase, timed apart), so that the
 * inference's own time is its online latency.
 */
final class SecureSuiteRunner {
    private SecureSuiteRunner() {
    }

    /** The suite's result; the fastest run is reported, the session is closed before returning. */
    static SuiteResult run(PlainBertWeights w, String suite, BenchmarkInput in, int runs, FixedPoint fixedPoint,
                           ProgressListener progress) {
        HeapUsage.resetPeak();
        progress.working(suite + ": loading the model");
        try (InProcessBert bert = new InProcessBert(w, ProtocolSuites.named(suite), new TwoPartyRuntime(fixedPoint))) {
            FastestRun fastest = new FastestRun();
            List<Double> seconds = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                progress.working(suite + ": run " + (i + 1) + "/" + runs);
                if (i > 0) {
                    bert.prepare(in.tokenIds().length, in.tokenIds()[0].length, 1);
                }
                BertInference inf = bert.infer(in.tokenIds(), in.typeIds(), in.valid());
                seconds.add(inf.cost().onlineSeconds());
                fastest.offer(inf, inf.cost().onlineSeconds());
                progress.stepDone();
            }
            // Sampled with the model still loaded: "in use" then counts both parties' weight shares.
            return SuiteResult.of(suite, Transport.MEMORY, fastest.run(), fastest.seconds(), bert.loadCost(), seconds,
                    HeapUsage.sample(), null);
        }
    }
}
