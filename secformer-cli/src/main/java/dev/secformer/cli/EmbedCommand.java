package dev.secformer.cli;

import dev.secformer.core.CostReport;
import dev.secformer.core.InferenceCost;
import dev.secformer.core.TwoPartyRuntime;
import dev.secformer.nn.BertWeights;
import dev.secformer.nn.DefaultModel;
import dev.secformer.nn.ReferenceBert;
import dev.secformer.nn.SentenceEmbedding;
import dev.secformer.nn.secure.BertInference;
import dev.secformer.nn.secure.InProcessBert;
import dev.secformer.nn.secure.ProtocolSuite;
import dev.secformer.nn.text.WordPieceTokenizer;
import dev.secformer.protocols.SecureGelu;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The main job: a secure two-party inference of a BERT encoder on a sentence, in the in-process
 * simulator, printed beside the plaintext model: the sentence embedding (mean of the last hidden
 * states), their cosine, and what the secure inference cost.
 */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Secure two-party sentence embedding with a BERT encoder, compared with plaintext inference.")
final class EmbedCommand implements Callable<Integer> {
    static final String DEFAULT_TEXT = "Secure inference keeps both the input and the model private.";

    @Parameters(arity = "0..1", paramLabel = "TEXT", description = "the sentence (default: \"" + DEFAULT_TEXT + "\")")
    String text = DEFAULT_TEXT;

    @Option(names = "--model", paramLabel = "PATH",
            description = "a Hugging Face BERT folder (config.json, model.safetensors, tokenizer.json or vocab.txt) "
                    + "or an ONNX export with tokenizer.json or vocab.txt beside it (default: the embedded all-MiniLM-L6-v2)")
    Path model;

    @Option(names = "--mode", defaultValue = "accurate",
            description = "accurate (exact softmax protocol, any checkpoint) or secformer (2Quad, for distilled checkpoints); default ${DEFAULT-VALUE}")
    String mode;

    @Option(names = "--max-length", defaultValue = "128", description = "longest token sequence kept (default ${DEFAULT-VALUE})")
    int maxLength;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!mode.equals("accurate") && !mode.equals("secformer")) {
            throw new IllegalArgumentException("--mode must be accurate or secformer, got \"" + mode + "\"");
        }
        PrintWriter out = spec.commandLine().getOut();
        BertWeights w = Models.weights(model);
        WordPieceTokenizer tok = Models.tokenizer(model);
        if (maxLength < 2 || maxLength > w.maxPositions()) {
            throw new IllegalArgumentException("--max-length must be in [2, " + w.maxPositions() + "], got " + maxLength);
        }
        WordPieceTokenizer.Encoding e = tok.encode(text, maxLength);
        int[][] ids = {e.ids()};
        int[][] types = {e.typeIds()};
        boolean[][] mask = {e.mask()};
        int h = w.hidden();

        SecureGelu gelu = new SecureGelu();
        long t0 = System.nanoTime();
        double[] plain = new ReferenceBert(w, ReferenceBert.Attention.SOFTMAX, ReferenceBert::exactGelu,
                w.config().layerNormEps()).forward(ids, types, mask);
        double plainSeconds = (System.nanoTime() - t0) / 1e9;
        double[] sameMode = mode.equals("accurate") ? plain : new ReferenceBert(w, ReferenceBert.Attention.TWO_QUAD,
                gelu::reference, w.config().layerNormEps()).forward(ids, types, mask);

        ProtocolSuite suite = Models.suite(model, mode);
        BertInference r;
        BertInference first;
        CostReport load;
        try (InProcessBert bert = new InProcessBert(w, suite, new TwoPartyRuntime())) {
            load = bert.loadCost();
            first = bert.infer(ids, types, mask); // records the plan, correlations drawn inline
            bert.prepare(1, ids[0].length, 1);    // the offline phase of the next request
            r = bert.infer(ids, types, mask);
        }
        double[] secureEmb = SentenceEmbedding.meanPool(r.hidden(), e.mask(), 0, h);
        double[] plainEmb = SentenceEmbedding.meanPool(plain, e.mask(), 0, h);

        out.printf(Locale.ROOT, "model %s: %d layers, hidden %d, %d heads; mode %s; %d tokens%n",
                model == null ? DefaultModel.NAME : model, w.layers(), h, w.heads(), mode, e.length());
        out.printf(Locale.ROOT, "text: %s%n", text);
        out.printf(Locale.ROOT, "secure embedding    [%s, ...]%n", head(secureEmb));
        out.printf(Locale.ROOT, "plaintext embedding [%s, ...]%n", head(plainEmb));
        out.printf(Locale.ROOT, "cosine(secure, plaintext exact model) = %.6f%n", SentenceEmbedding.cosine(secureEmb, plainEmb));
        if (sameMode != plain) {
            out.printf(Locale.ROOT, "cosine(secure, plaintext with the same approximations) = %.6f%n",
                    SentenceEmbedding.cosine(secureEmb, SentenceEmbedding.meanPool(sameMode, e.mask(), 0, h)));
        }
        CostReport.Entry total = r.cost().total();
        InferenceCost cost = r.cost();
        out.printf(Locale.ROOT, "secure inference: online %.2f s after an offline phase of %.2f s (plaintext reference %.3f s; "
                        + "the first inference, correlations drawn inline, %.2f s), online %.1f MB, %d rounds, "
                        + "dealer %.1f MB, client input %.1f KB, output %.1f KB%n",
                cost.onlineSeconds(), cost.offlineSeconds(), plainSeconds, first.cost().onlineSeconds(),
                total.onlineBytes() / 1e6, total.rounds(), total.dealerBytes() / 1e6, r.inputBytes() / 1e3, r.outputBytes() / 1e3);
        out.printf(Locale.ROOT, "model load (once per session): online %.1f MB%n", load.total().onlineBytes() / 1e6);
        out.print(cost.report().toTable());
        out.flush();
        return 0;
    }

    static String head(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(6, v.length); i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", v[i]));
        }
        return sb.toString();
    }
}
