package dev.secformer.bench;

import dev.secformer.core.CostReport;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The harness's Markdown report: with several suites, a table comparing them and the time ratios
 * against the reference suite; then, per suite, the cost per layer kind and its other figures.
 * Megabytes are 10^6 bytes.
 */
final class MarkdownReport {
    private final BenchmarkResult r;
    private final StringBuilder sb = new StringBuilder();

    private MarkdownReport(BenchmarkResult r) {
        this.r = r;
    }

    /** The report of one harness run. */
    static String render(BenchmarkResult r) {
        MarkdownReport m = new MarkdownReport(r);
        if (r.suites().size() > 1) {
            m.comparison();
        }
        r.suites().forEach(m::suite);
        return m.sb.toString();
    }

    private String model() {
        return String.format(Locale.ROOT, "%s (%d layers, hidden %d), seq %d, batch %d, %s%s, %s",
                r.model().title(), r.weights().layers(), r.weights().hidden(), r.seq(), r.batch(),
                r.transport().description(), r.link() == null ? "" : ", party link " + r.link(), r.truncation().description());
    }

    private void line(String format, Object... args) {
        sb.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private void comparison() {
        line("## %s: protocol suites compared", model());
        line("");
        line("| suite | online MB | rounds | dealer MB | offline s | online s | LAN s | WAN s | secure / plaintext |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (SuiteResult s : r.suites()) {
            CostReport.Entry t = s.total();
            line("| %s | %.1f | %d | %.1f | %.2f | %.2f | %.2f | %.2f | %.1fx |", s.suite(), t.onlineBytes() / 1e6, t.rounds(),
                    t.dealerBytes() / 1e6, s.offlineSeconds(), s.seconds(), s.projectedSeconds(Projection.LAN),
                    s.projectedSeconds(Projection.WAN), r.securePerPlaintext(s));
        }
        line("");
        line("- plaintext inference of the same model and input (%s, best of 3): %.3f s", r.plaintextRuntime(),
                r.plaintextSeconds());
        SuiteResult ref = r.reference();
        for (SuiteResult s : r.suites()) {
            if (s != ref) {
                line("- %s / %s = %.2fx measured (LAN %.2fx, WAN %.2fx)", s.suite(), ref.suite(), s.seconds() / ref.seconds(),
                        s.projectedSeconds(Projection.LAN) / ref.projectedSeconds(Projection.LAN),
                        s.projectedSeconds(Projection.WAN) / ref.projectedSeconds(Projection.WAN));
            }
        }
        line("");
    }

    private void suite(SuiteResult s) {
        line("## %s, suite %s", model(), s.suite());
        line("");
        line("| layer kind | online MB | rounds | dealer MB | offline s | online s |");
        line("|---|---:|---:|---:|---:|---:|");
        for (Map.Entry<String, CostReport.Entry> e : s.perLayerKind().entrySet()) {
            CostReport.Entry c = e.getValue();
            line("| %s | %.1f | %d | %.1f | %.2f | %.2f |", e.getKey(), c.onlineBytes() / 1e6, c.rounds(),
                    c.dealerBytes() / 1e6, c.offlineSeconds(), c.seconds());
        }
        CostReport.Entry t = s.total();
        line("| **total** | **%.1f** | **%d** | **%.1f** | **%.2f** | **%.2f** |", t.onlineBytes() / 1e6, t.rounds(),
                t.dealerBytes() / 1e6, s.offlineSeconds(), s.seconds());
        line("");
        line(s.prepared()
                ? "- online: the inference once its correlations were prepared; offline: preparing them (dealer, seed"
                        + " expansion, weight terms), wall time; per layer kind, each party's time summed, the larger of the two"
                : "- one run only: it recorded the correlation plan and drew its correlations inline, so its time is"
                        + " offline and online together (use --runs 2 or more for the online latency)");
        line("- client input %.1f KB, output %.1f KB; model load (once) %s", s.inputBytes() / 1e3, s.outputBytes() / 1e3,
                s.loadCost() == null ? "inside the party servers (not measured)"
                        : String.format(Locale.ROOT, "%.1f MB online", s.loadCost().total().onlineBytes() / 1e6));
        if (s.wire() != null) {
            line("- party-to-party socket %.1f MB (TLS included), of which framing %.2f MB; the dealer is a server of its own",
                    s.wire().socketBytes() / 1e6, s.wire().framingBytes() / 1e6);
        }
        line("- plaintext inference of the same model and input (%s, best of 3): %.3f s; secure online / plaintext = %.1fx",
                r.plaintextRuntime(), r.plaintextSeconds(), r.securePerPlaintext(s));
        if (r.link() == null) {
            line("- projection (compute + bytes / 2 / bandwidth + rounds x RTT / 2): LAN %.2f s, WAN %.2f s",
                    s.projectedSeconds(Projection.LAN), s.projectedSeconds(Projection.WAN));
        } else {
            line("- measured over the emulated party link (%s): the online time above", r.link());
        }
        line("- heap: peak %.2f GB (in use at the end %.2f GB); off the heap at the end (prepared correlations and free"
                + " buffers) %.2f GB", s.heap().peakBytes() / 1e9, s.heap().inUseBytes() / 1e9, s.heap().directBytes() / 1e9);
        SustainedLoad l = s.sustained();
        if (l != null) {
            line("- service under load: %d clients x %d inferences in %.1f s: %.2f inferences/s, latency p50 %.2f s, p99 %.2f s;"
                    + " %.0f%% on prepared correlations; heap peak %.2f GB", l.clients(), l.requests(), l.seconds(), l.perSecond(),
                    l.p50Seconds(), l.p99Seconds(), 100 * l.preparedShare(), l.heap().peakBytes() / 1e9);
        }
        line("- runs: %s (the fastest is reported)", s.runSeconds().stream()
                .map(x -> String.format(Locale.ROOT, "%.2f s", x)).collect(Collectors.joining(", ")));
        line("");
    }
}
