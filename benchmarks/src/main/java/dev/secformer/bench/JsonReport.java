package dev.secformer.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secformer.core.CostReport;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The harness's figures as JSON: an object with one entry per suite, keyed by the suite's name.
 * Each entry has the keys of the harness's earlier single-suite report (model, sequenceLength,
 * batch, suite, cores, java, perLayerKind, total, inputBytes, outputBytes, loadOnlineBytes,
 * plaintextSeconds, securePerPlaintext, projectionSeconds) plus transport, runSeconds and heap, and
 * over Netty wire (framingBytes, socketBytes of the party-to-party link); loadOnlineBytes is null
 * over Netty, where the parties' servers load the model. Bytes are bytes, times seconds; total.seconds is the inference's online wall time and
 * total.offlineSeconds the wall time of preparing its correlations (prepared is false, and offline
 * time 0, for a run that drew them inline).
 */
final class JsonReport {
    private JsonReport() {
    }

    /** Writes the report of one harness run to {@code file}. */
    static void write(BenchmarkResult r, Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        for (SuiteResult s : r.suites()) {
            suite(root.putObject(s.suite()), r, s);
        }
        mapper.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }

    private static void suite(ObjectNode o, BenchmarkResult r, SuiteResult s) {
        o.put("model", r.model().name()).put("sequenceLength", r.seq()).put("batch", r.batch()).put("suite", s.suite());
        o.put("cores", Runtime.getRuntime().availableProcessors()).put("java", System.getProperty("java.version"));
        ObjectNode kinds = o.putObject("perLayerKind");
        s.perLayerKind().forEach((k, e) -> kinds.putObject(k).put("onlineBytes", e.onlineBytes())
                .put("rounds", e.rounds()).put("dealerBytes", e.dealerBytes()).put("seconds", e.seconds())
                .put("offlineSeconds", e.offlineSeconds()));
        CostReport.Entry t = s.total();
        o.putObject("total").put("onlineBytes", t.onlineBytes()).put("rounds", t.rounds())
                .put("dealerBytes", t.dealerBytes()).put("seconds", s.seconds()).put("offlineSeconds", s.offlineSeconds());
        o.put("prepared", s.prepared());
        o.put("transport", s.transport().toString());
        o.put("truncation", r.truncation().toString());
        if (r.link() != null) {
            o.putObject("link").put("rttMillis", r.link().rttMillis()).put("bytesPerSecond", r.link().bytesPerSecond());
        }
        o.put("inputBytes", s.inputBytes()).put("outputBytes", s.outputBytes());
        if (s.loadCost() == null) {
            o.putNull("loadOnlineBytes");
        } else {
            o.put("loadOnlineBytes", s.loadCost().total().onlineBytes());
        }
        o.put("plaintextSeconds", r.plaintextSeconds()).put("plaintextRuntime", r.plaintextRuntime())
                .put("securePerPlaintext", r.securePerPlaintext(s));
        if (s.wire() != null) {
            o.putObject("wire").put("framingBytes", s.wire().framingBytes()).put("socketBytes", s.wire().socketBytes());
        }
        o.putObject("projectionSeconds").put("lan", s.projectedSeconds(Projection.LAN))
                .put("wan", s.projectedSeconds(Projection.WAN));
        s.runSeconds().forEach(o.putArray("runSeconds")::add);
        SustainedLoad l = s.sustained();
        if (l != null) {
            o.putObject("sustained").put("clients", l.clients()).put("requests", l.requests()).put("seconds", l.seconds())
                    .put("perSecond", l.perSecond()).put("p50Seconds", l.p50Seconds()).put("p99Seconds", l.p99Seconds())
                    .put("preparedShare", l.preparedShare()).put("heapPeakBytes", l.heap().peakBytes());
        }
        o.putObject("heap").put("peakBytes", s.heap().peakBytes()).put("inUseBytes", s.heap().inUseBytes())
                .put("directBytes", s.heap().directBytes());
    }
}
