package dev.secformer.bench;

import dev.secformer.core.CostReport;
import dev.secformer.core.InferenceCost;
import dev.secformer.nn.secure.BertInference;
import java.util.List;
import java.util.Map;

/**
 * What one protocol suite cost on the harness's model and input: the figures of its fastest
 * inference with prepared correlations (or of the only run, when just one ran), the one-time model
 * load, every run's time and the heap.
 *
 * @param suite      the suite's name
 * @param transport  how the parties talked
 * @param inference  the fastest inference's cost, as the inference API reports it
 * @param seconds    the fastest inference's online time: the two-party computation in memory; over
 *                   Netty the client's wall time (sharing, both uploads, the computation, both answers)
 * @param inputBytes client to parties
 * @param outputBytes parties to client
 * @param loadCost   the model load's cost (the weight openings, once per session); null over Netty,
 *                   where the parties load the model inside their servers
 * @param runSeconds every inference's time, in order
 * @param heap       the heap after the runs, the model still loaded
 * @param sustained  over Netty with {@code --clients}, the service under concurrent load; else null
 */
public record SuiteResult(String suite, Transport transport, InferenceCost inference, double seconds, long inputBytes,
                          long outputBytes, CostReport loadCost, List<Double> runSeconds, HeapUsage heap,
                          SustainedLoad sustained) {

    /** The fastest inference of {@code runs} with its time (see {@link #seconds}). */
    static SuiteResult of(String suite, Transport transport, BertInference fastest, double seconds, CostReport loadCost,
                          List<Double> runSeconds, HeapUsage heap, SustainedLoad sustained) {
        return new SuiteResult(suite, transport, fastest.cost(), seconds, fastest.inputBytes(), fastest.outputBytes(),
                loadCost, List.copyOf(runSeconds), heap, sustained);
    }

    /** The fastest inference's cost per phase (protocol payload bytes, as counted by the parties). */
    public CostReport cost() {
        return inference.report();
    }

    /** The wall time of preparing its correlations; 0 when it drew them inline. */
    public double offlineSeconds() {
        return inference.offlineSeconds();
    }

    /** Whether it ran on prepared correlations (false for a single, recording run). */
    public boolean prepared() {
        return inference.prepared();
    }

    /** Over Netty, what the party-to-party link carried beyond the protocol bytes; null in memory. */
    public InferenceCost.Wire wire() {
        return inference.wire();
    }

    /** Cost per layer kind (the top-level phases: embedding, LayerNorm, linear, attention, softmax, GeLU). */
    public Map<String, CostReport.Entry> perLayerKind() {
        return cost().byLevel(0);
    }

    /** The inference's total bytes, rounds and dealer bytes (its time is {@link #seconds}, the wall time). */
    public CostReport.Entry total() {
        return cost().total();
    }

    /** This run's time projected onto a network. */
    public double projectedSeconds(Projection network) {
        CostReport.Entry t = total();
        return network.seconds(seconds, t.onlineBytes(), t.rounds());
    }
}
