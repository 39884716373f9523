package dev.secformer.bench;

import dev.secformer.core.FixedPoint;
import dev.secformer.core.Prg;
import dev.secformer.net.LinkShape;
import dev.secformer.net.NetLimits;
import dev.secformer.nn.secure.BertInference;
import dev.secformer.nn.secure.BertShares;
import dev.secformer.nn.secure.ModelOwner;
import dev.secformer.nn.secure.PlainBertWeights;
import dev.secformer.nn.secure.ProtocolSuites;
import dev.secformer.service.LoopbackBert;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one protocol suite over Netty on loopback: the model owner's shares go to both parties,
 * which load the model once, then the client infers {@code runs} times. The first inference records
 * the correlation plan; before each later one the harness waits until both parties have its
 * correlations prepared (the offline phase), so that the run's time is online work alone. The time
 * of a run is the client's wall time: sharing, both uploads, the secure inference and both answers.
 */
final class NettySuiteRunner {
    /** A BERT-large step can take minutes on a small machine; a stalled peer still ends the run. */
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private NettySuiteRunner() {
    }

    /** The suite's result; the fastest run is reported, every server is stopped before returning. */
    static SuiteResult run(PlainBertWeights w, String suite, BenchmarkInput in, int runs, LinkShape link, int clients,
                           int requests, FixedPoint fixedPoint, ProgressListener progress) {
        HeapUsage.resetPeak();
        progress.working(suite + ": starting dealer and parties, loading the model");
        BertShares[] shares = ModelOwner.split(w, fixedPoint, Prg.fresh());
        try (LoopbackBert net = LoopbackBert.start(shares[0], shares[1], ProtocolSuites.named(suite),
                NetLimits.defaults().withTimeout(TIMEOUT), link, fixedPoint)) {
            FastestRun fastest = new FastestRun();
            List<Double> seconds = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                progress.working(suite + ": run " + (i + 1) + "/" + runs + " over Netty");
                if (i > 0 && !net.awaitPrepared(TIMEOUT)) {
                    throw new IllegalStateException("the parties did not prepare the next inference within " + TIMEOUT);
                }
                long start = System.nanoTime();
                BertInference a = net.bert().infer(in.tokenIds(), in.typeIds(), in.valid());
                double s = (System.nanoTime() - start) / 1e9;
                seconds.add(s);
                fastest.offer(a, s);
                progress.stepDone();
            }
            HeapUsage heap = HeapUsage.sample();
            SustainedLoad sustained = null;
            if (clients > 0) {
                progress.working(suite + ": " + clients + " clients x " + requests + " inferences");
                sustained = SustainedLoad.run(net, in, clients, requests);
                progress.stepDone();
            }
            return SuiteResult.of(suite, Transport.NETTY, fastest.run(), fastest.seconds(), null, seconds, heap, sustained);
        } catch (IOException e) {
            throw new UncheckedIOException("the loopback deployment failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
        }
    }
}
