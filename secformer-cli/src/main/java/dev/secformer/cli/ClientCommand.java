package dev.secformer.cli;

import dev.secformer.core.CostReport;
import dev.secformer.core.FixedPoint;
import dev.secformer.core.InferenceCost;
import dev.secformer.net.Endpoint;
import dev.secformer.net.InferenceClient;
import dev.secformer.nn.SentenceEmbedding;
import dev.secformer.nn.secure.BertInference;
import dev.secformer.nn.text.WordPieceTokenizer;
import dev.secformer.service.RemoteBert;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A client: tokenizes a text, secret-shares it to both parties, and reconstructs the sentence
 * embedding from their output shares. Neither party sees the text or the result.
 */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = "Secure sentence embedding by the two parties: tokenize, share, reconstruct.")
final class ClientCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "TEXT", description = "the sentence (default: \"" + EmbedCommand.DEFAULT_TEXT + "\")")
    String text = EmbedCommand.DEFAULT_TEXT;

    @Option(names = "--party0", defaultValue = "127.0.0.1:7400", paramLabel = "HOST:PORT", description = "default ${DEFAULT-VALUE}")
    String party0;

    @Option(names = "--party1", defaultValue = "127.0.0.1:7401", paramLabel = "HOST:PORT", description = "default ${DEFAULT-VALUE}")
    String party1;

    @Option(names = "--name", defaultValue = "default",
            description = "client name: uses client-NAME.pem from --tls (default ${DEFAULT-VALUE})")
    String name;

    @Option(names = "--model", paramLabel = "PATH",
            description = "the model's folder or ONNX file, for its tokenizer and sizes (default: the embedded all-MiniLM-L6-v2)")
    Path model;

    @Option(names = "--max-length", defaultValue = "128", description = "longest token sequence kept (default ${DEFAULT-VALUE})")
    int maxLength;

    @Mixin
    NetOptions net;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var w = Models.weights(model);
        WordPieceTokenizer tok = Models.tokenizer(model);
        if (maxLength < 2 || maxLength > w.maxPositions()) {
            throw new IllegalArgumentException("--max-length must be in [2, " + w.maxPositions() + "], got " + maxLength);
        }
        WordPieceTokenizer.Encoding e = tok.encode(text, maxLength);
        BertInference r;
        long start = System.nanoTime();
        try (Endpoint endpoint = net.endpoint("client-" + name)) {
            InferenceClient client = new InferenceClient(endpoint, NetOptions.address("--party0", party0),
                    NetOptions.address("--party1", party1));
            RemoteBert bert = new RemoteBert(client, w.vocabSize(), w.typeVocabSize(), FixedPoint.standard());
            try {
                r = bert.infer(new int[][] {e.ids()}, new int[][] {e.typeIds()}, new boolean[][] {e.mask()});
            } catch (InferenceClient.InferenceException ex) {
                throw new IllegalArgumentException("inference failed: " + ex.getMessage(), ex);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] emb = SentenceEmbedding.meanPool(r.hidden(), e.mask(), 0, w.hidden());
        PrintWriter out = spec.commandLine().getOut();
        InferenceCost c = r.cost();
        CostReport.Entry total = c.total();
        out.printf(Locale.ROOT, "text: %s (%d tokens)%n", text, e.length());
        out.printf(Locale.ROOT, "secure embedding [%s, ...] (%d values)%n", EmbedCommand.head(emb), emb.length);
        out.printf(Locale.ROOT, "online %.2f s (%s), %.2f s end to end; parties exchanged %.1f MB in %d rounds "
                        + "(framing %.2f MB, on the socket with TLS %.1f MB); dealer sent %.1f MB%n", c.onlineSeconds(),
                c.prepared() ? String.format(Locale.ROOT, "correlations prepared ahead in %.2f s", c.offlineSeconds())
                        : "correlations drawn during the request", seconds, total.onlineBytes() / 1e6, total.rounds(),
                c.wire().framingBytes() / 1e6, c.wire().socketBytes() / 1e6, total.dealerBytes() / 1e6);
        out.flush();
        return 0;
    }
}
