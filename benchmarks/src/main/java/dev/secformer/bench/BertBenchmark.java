package dev.secformer.bench;

import dev.secformer.net.LinkShape;
import dev.secformer.nn.secure.ProtocolSuites;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * End-to-end secure BERT on synthetic weights of a standard shape or on a checkpoint, in the in-process simulator or
 * over Netty with mutual TLS on loopback, for one or more protocol suites on the same model and input: per layer kind and in total,
 * online bytes, rounds, dealer bytes and time, the peak heap, the float32 plaintext time of the
 * same model (FloatBert on ND4J) and the LAN / WAN projections
 * T = compute + bytes / bandwidth + rounds x latency (LAN 1 GB/s, 0.5 ms; WAN 100 MB/s, 40 ms).
 * Prints a Markdown report; optionally writes it, the figures as JSON and PNG charts to files.
 * Exit codes: 0 success, 1 failure, 2 bad usage.
 */
@Command(name = "BertBenchmark", sortOptions = false, usageHelpAutoWidth = true,
        description = "Secure BERT inference in the in-process two-party simulator or over Netty on loopback: cost per layer kind and per "
                + "protocol suite, LAN/WAN projections and the float32 plaintext time of the same model.")
public final class BertBenchmark implements Callable<Integer> {
    @Option(names = "--shape", paramLabel = "SHAPE", converter = ShapeConverter.class,
            description = "model shape with synthetic weights: base, large or tiny (default base)")
    ModelShape shape;

    @Option(names = "--model", paramLabel = "PATH",
            description = "a checkpoint instead of synthetic weights: a Hugging Face BERT folder or an ONNX export")
    Path model;

    @Option(names = "--seq", defaultValue = "128", paramLabel = "N",
            description = "tokens per sequence, 1 to the model's maximum of positions (default ${DEFAULT-VALUE})")
    int seq;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "N", description = "sequences per request (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--suite", split = ",", defaultValue = "secformer", paramLabel = "SUITE", converter = SuiteConverter.class,
            description = "protocol suite, repeatable or comma-separated: secformer, accurate, crypten, puma, mpcformer"
                    + " (default ${DEFAULT-VALUE}); each runs in turn on the same model and input")
    List<String> suites;

    @Option(names = "--truncation", defaultValue = "exact", paramLabel = "T", converter = TruncationConverter.class,
            description = "exact (dealer-assisted, the default) or local (no round, but wrong with probability |x|/2^64 per element)")
    TruncationMode truncation;

    @Option(names = "--runs", defaultValue = "3", paramLabel = "N",
            description = "inferences per suite in one session, the fastest reported (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--transport", defaultValue = "memory", paramLabel = "T", converter = TransportConverter.class,
            description = "memory (the in-process simulator) or netty (dealer, parties and client as TLS servers on "
                    + "loopback in this JVM) (default ${DEFAULT-VALUE})")
    Transport transport;

    @Option(names = "--link", paramLabel = "LINK", converter = LinkConverter.class,
            description = "with --transport netty: emulate the party-to-party network, lan (1 GB/s, 0.5 ms round trip), "
                    + "wan (100 MB/s, 40 ms) or RTT_MS,MBYTES_PER_S (default: loopback as it is)")
    LinkShape link;

    @Option(names = "--clients", defaultValue = "0", paramLabel = "N",
            description = "with --transport netty: after the runs, N concurrent clients load the service (default: none)")
    int clients;

    @Option(names = "--requests", defaultValue = "20", paramLabel = "N",
            description = "inferences each of the --clients sends, one after another (default ${DEFAULT-VALUE})")
    int requests;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the figures as JSON, one entry per suite")
    Path json;

    @Option(names = "--markdown", paramLabel = "FILE", description = "also write the Markdown report to FILE")
    Path markdown;

    @Option(names = "--chart-dir", paramLabel = "DIR",
            description = "also write PNG charts (online MB, time, rounds per suite by layer kind) into DIR")
    Path chartDir;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        BenchmarkPlan plan = plan();
        createOutputDirectories();
        BenchmarkResult result;
        try (ConsoleProgress progress = new ConsoleProgress(plan.steps())) {
            result = plan.run(progress);
        }
        String report = MarkdownReport.render(result);
        PrintWriter out = spec.commandLine().getOut();
        out.print(report);
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        if (markdown != null) {
            Files.writeString(markdown, report);
            err.println("wrote " + markdown);
        }
        if (json != null) {
            JsonReport.write(result, json);
            err.println("wrote " + json);
        }
        if (chartDir != null) {
            CostCharts.write(result, chartDir).forEach(p -> err.println("wrote " + p));
        }
        err.flush();
        return 0;
    }

    /**
     * The options as a plan; a value out of range is a usage error (exit code 2), a checkpoint that
     * does not load an I/O error (exit code 1).
     */
    private BenchmarkPlan plan() throws IOException {
        if (shape != null && model != null) {
            throw new ParameterException(spec.commandLine(), "--shape and --model exclude each other");
        }
        if (batch < 1) {
            throw new ParameterException(spec.commandLine(), "--batch must be at least 1, was " + batch);
        }
        if (link != null && transport != Transport.NETTY) {
            throw new ParameterException(spec.commandLine(), "--link needs --transport netty");
        }
        if (clients < 0 || clients > 0 && transport != Transport.NETTY) {
            throw new ParameterException(spec.commandLine(), "--clients takes N >= 0 and needs --transport netty");
        }
        if (requests < 1) {
            throw new ParameterException(spec.commandLine(), "--requests must be at least 1, was " + requests);
        }
        if (runs < 1) {
            throw new ParameterException(spec.commandLine(), "--runs must be at least 1, was " + runs);
        }
        BenchmarkModel m = model != null ? BenchmarkModel.load(model) : BenchmarkModel.of(shape != null ? shape : ModelShape.BASE);
        int maxSeq = m.weights().maxPositions();
        if (seq < 1 || seq > maxSeq) {
            throw new ParameterException(spec.commandLine(), "--seq must be between 1 and " + maxSeq + " for "
                    + m.title() + ", was " + seq);
        }
        // A suite named twice would be measured twice under one name.
        return new BenchmarkPlan(m, seq, batch, List.copyOf(new LinkedHashSet<>(suites)), runs, transport, link, clients, requests,
                truncation);
    }

    /** Fails before a run of possibly many minutes, not after it, when an output can't be placed. */
    private void createOutputDirectories() throws IOException {
        for (Path file : new Path[] {json, markdown}) {
            if (file != null && file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
        }
        if (chartDir != null) {
            Files.createDirectories(chartDir);
        }
    }

    /** Accepts an enum constant by its lower-case name (its toString) only, and lists the choices otherwise. */
    private abstract static class NameConverter<E extends Enum<E>> implements CommandLine.ITypeConverter<E> {
        private final E[] values;

        NameConverter(E[] values) {
            this.values = values;
        }

        @Override
        public E convert(String value) {
            for (E e : values) {
                if (e.toString().equals(value)) {
                    return e;
                }
            }
            List<String> names = java.util.Arrays.stream(values).map(Object::toString).toList();
            throw new CommandLine.TypeConversionException("expected " + String.join(", ", names.subList(0, names.size() - 1))
                    + " or " + names.get(names.size() - 1) + " but was '" + value + "'");
        }
    }

    static final class ShapeConverter extends NameConverter<ModelShape> {
        ShapeConverter() {
            super(ModelShape.values());
        }
    }

    static final class TransportConverter extends NameConverter<Transport> {
        TransportConverter() {
            super(Transport.values());
        }
    }

    static final class TruncationConverter extends NameConverter<TruncationMode> {
        TruncationConverter() {
            super(TruncationMode.values());
        }
    }

    /** lan, wan or RTT_MS,MBYTES_PER_S. */
    static final class LinkConverter implements CommandLine.ITypeConverter<LinkShape> {
        @Override
        public LinkShape convert(String value) {
            try {
                return LinkShape.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Accepts the name of a suite that {@link ProtocolSuites#named} knows. */
    static final class SuiteConverter implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                ProtocolSuites.named(value);
                return value;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** The command line with the project's error handling: one-line messages, no stack trace for I/O errors. */
    public static CommandLine commandLine() {
        // Before any chart touches AWT: the charts are drawn off screen and need no display.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        CommandLine cl = new CommandLine(new BertBenchmark());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof IOException) {
                cmd.getErr().println("BertBenchmark: " + ex.getMessage());
                return 1;
            }
            throw ex;
        });
        return cl;
    }

    /** Runs the harness and exits with its code; see {@code --help}. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
