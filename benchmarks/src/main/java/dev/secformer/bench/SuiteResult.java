package dev.secformer.bench;

import dev.secformer.core.CostReport;
import dev.secformer.nn.secure.InProcessBert;
import java.util.List;
import java.util.Map;

/**
 * What one protocol suite cost on the harness's model and input: the figures of its fastest
 * inference with prepared correlations (or of the only run, when just one ran), the one-time model
 * load, every run's time and the heap.
 *
 * @param suite        the suite's name
 * @param transport    how the parties talked
 * @param cost         the fastest inference's cost per phase (protocol payload bytes, as counted by the parties)
 * @param seconds      the fastest inference's online wall time
 * @param offlineSeconds the wall time of preparing its correlations; 0 when it drew them inline
 * @param prepared     whether it ran on prepared correlations (false for a single, recording run)
 * @param dealerNanos  the dealer's time within it when the dealer runs inline (in memory); -1 over Netty,
 *                     where the dealer is a server of its own
 * @param inputBytes   client to parties
 * @param outputBytes  parties to client
 * @param loadCost     the model load's cost (the weight openings, once per session); null over Netty,
 *                     where the parties load the model inside their servers
 * @param runSeconds   every inference's wall time, in order
 * @param heap         the heap after the runs, the model still loaded
 * @param wire         over Netty, what the party-to-party link carried beyond the protocol bytes; null in memory
 * @param sustained    over Netty with {@code --clients}, the service under concurrent load; else null
 */
public record SuiteResult(String suite, Transport transport, CostReport cost, double seconds, double offlineSeconds,
                          boolean prepared, long dealerNanos,
                          long inputBytes, long outputBytes, CostReport loadCost, List<Double> runSeconds,
                          HeapUsage heap, Wire wire, SustainedLoad sustained) {

    /**
     * Party-to-party traffic over Netty, both directions, as party 0 counted it.
     *
     * @param framingBytes what the frames added to the protocol bytes (headers, length prefixes)
     * @param socketBytes  everything on the socket, TLS records included
     */
    public record Wire(long framingBytes, long socketBytes) {
    }

    /** The in-memory result of the fastest of {@code runs}. */
    public static SuiteResult of(String suite, InProcessBert.Inference fastest, CostReport loadCost,
                                 List<Double> runSeconds, HeapUsage heap) {
        return new SuiteResult(suite, Transport.MEMORY, fastest.cost(), fastest.seconds(), fastest.offlineSeconds(),
                fastest.prepared(), fastest.dealerNanos(),
                fastest.inputBytes(), fastest.outputBytes(), loadCost, List.copyOf(runSeconds), heap, null, null);
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
