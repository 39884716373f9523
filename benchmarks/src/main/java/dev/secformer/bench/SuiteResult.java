package dev.secformer.bench;

import dev.secformer.core.CostReport;
import dev.secformer.nn.secure.InProcessBert;
import java.util.List;
import java.util.Map;

/**
 * What one protocol suite cost on the harness's model and input: the figures of its fastest
 * inference, the one-time model load, every run's time and the heap.
 *
 * @param suite        the suite's name
 * @param cost         the fastest inference's cost per phase
 * @param seconds      the fastest inference's wall time
 * @param dealerNanos  the dealer's time within it (the dealer runs inline)
 * @param inputBytes   client to parties
 * @param outputBytes  parties to client
 * @param loadCost     the model load's cost (the weight openings, once per session)
 * @param runSeconds   every inference's wall time, in order
 * @param heap         the heap after the runs, the model still loaded
 */
public record SuiteResult(String suite, CostReport cost, double seconds, long dealerNanos, long inputBytes,
                          long outputBytes, CostReport loadCost, List<Double> runSeconds, HeapUsage heap) {

    /** The result of the fastest of {@code runs}. */
    public static SuiteResult of(String suite, InProcessBert.Inference fastest, CostReport loadCost,
                                 List<Double> runSeconds, HeapUsage heap) {
        return new SuiteResult(suite, fastest.cost(), fastest.seconds(), fastest.dealerNanos(), fastest.inputBytes(),
                fastest.outputBytes(), loadCost, List.copyOf(runSeconds), heap);
    }

    /** Cost per layer kind (the top-level phases: embedding, LayerNorm, linear, attention, softmax, GeLU). */
    public Map<String, CostReport.Entry> perLayerKind() {
        return cost.byLevel(0);
    }

    /** The inference's total bytes, rounds and dealer bytes (its time is {@link #seconds}, the wall time). */
    public CostReport.Entry total() {
        return cost.total();
    }

    /** This run's time projected onto a network. */
    public double projectedSeconds(Projection network) {
        CostReport.Entry t = total();
        return network.seconds(seconds, t.onlineBytes(), t.rounds());
    }
}
