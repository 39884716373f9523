package dev.secformer.cli;

import dev.secformer.nn.BertWeights;
import dev.secformer.nn.DefaultModel;
import dev.secformer.nn.ReferenceBert;
import dev.secformer.nn.text.WordPieceTokenizer;
import dev.secformer.nn.train.Example;
import dev.secformer.nn.train.GlueMetrics;
import dev.secformer.nn.train.ModelOutputs;
import dev.secformer.nn.train.TrainingData;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Evaluates a checkpoint in plaintext and inside MPC, side by side: GLUE metrics on a labelled
 * GLUE file for a model with a classifier, or, for an encoder on a text file, the mean cosine of
 * its pooled outputs to those of a reference model ({@code --compare}, plaintext, exact softmax).
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a checkpoint in plaintext and inside MPC: GLUE metrics, or pooled-output cosine to another model.")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "PATH",
            description = "the model: a Hugging Face BERT folder or an ONNX export (default: the embedded all-MiniLM-L6-v2)")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "a GLUE TSV file with labels, or a text file")
    Path data;

    @Option(names = "--task", defaultValue = "text",
            description = "format of --data: text, sst2, cola, mrpc, rte, qnli or stsb (default ${DEFAULT-VALUE})")
    String task;

    @Option(names = "--mode", defaultValue = "accurate",
            description = "accurate (softmax) or secformer (2Quad), in plaintext and inside MPC (default ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--compare", paramLabel = "PATH",
            description = "reference model for --task text (plaintext, softmax); default: the embedded all-MiniLM-L6-v2")
    Path compare;

    @Option(names = "--max-length", defaultValue = "128", description = "longest token sequence kept (default ${DEFAULT-VALUE})")
    int maxLength;

    @Option(names = "--limit", paramLabel = "N", description = "evaluate only the first N examples")
    Integer limit;

    @Option(names = "--mpc-limit", defaultValue = "64", paramLabel = "N",
            description = "examples also evaluated inside MPC, the first N (default ${DEFAULT-VALUE}; 0: none)")
    int mpcLimit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!mode.equals("accurate") && !mode.equals("secformer")) {
            throw new IllegalArgumentException("--mode must be accurate or secformer, got \"" + mode + "\"");
        }
        if (!Files.isRegularFile(data)) {
            throw new IllegalArgumentException(data + ": no such file");
        }
        if (mpcLimit < 0 || limit != null && limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1 and --mpc-limit at least 0");
        }
        TrainingData.Task t = TrainingData.Task.named(task);
        BertWeights w = Models.weights(model);
        WordPieceTokenizer tok = Models.tokenizer(model);
        List<Example> examples = TrainingData.read(data, t, tok, Math.min(maxLength, w.maxPositions()));
        if (limit != null && examples.size() > limit) {
            examples = examples.subList(0, limit);
        }
        if (examples.isEmpty()) {
            throw new IllegalArgumentException(data + ": no examples");
        }
        boolean head = w.tensors().containsKey("classifier.weight");
        if (t == TrainingData.Task.TEXT == head) {
            throw new IllegalArgumentException(head ? "a model with a classifier is evaluated on a GLUE file (--task)"
                    : "an encoder without a classifier is evaluated on a text file (--task text) against --compare");
        }
        ReferenceBert.Attention attention = mode.equals("secformer") ? ReferenceBert.Attention.TWO_QUAD : ReferenceBert.Attention.SOFTMAX;
        List<Example> secureSet = examples.subList(0, Math.min(mpcLimit, examples.size()));
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "model %s (%d layers, hidden %d), mode %s, %s: %d examples (%d inside MPC)%n",
                model == null ? DefaultModel.NAME : model, w.layers(), w.hidden(), mode, data, examples.size(), secureSet.size());
        ModelOutputs.Result plain = ModelOutputs.plaintext(w, attention, examples, tok.padId());
        ModelOutputs.Result secure = null;
        if (!secureSet.isEmpty()) {
            try (TaskProgress progress = new TaskProgress("inside MPC", secureSet.size(), 0, 1)) {
                secure = ModelOutputs.secure(w, Models.suite(model, mode), secureSet, tok.padId(), progress::step);
            }
        }
        if (head) {
            float[] labels = labels(examples);
            print(out, "plaintext", GlueMetrics.of(t, ModelOutputs.predictions(plain.rows()), labels), examples.size());
            if (secure != null) {
                double[][] first = java.util.Arrays.copyOf(plain.rows(), secureSet.size());
                print(out, "plaintext, same examples as MPC", GlueMetrics.of(t, ModelOutputs.predictions(first),
                        labels(secureSet)), secureSet.size());
                print(out, "inside MPC", GlueMetrics.of(t, ModelOutputs.predictions(secure.rows()), labels(secureSet)),
                        secureSet.size());
            }
        } else {
            BertWeights reference = Models.weights(compare);
            if (reference.hidden() != w.hidden()) {
                throw new IllegalArgumentException("--compare has hidden size " + reference.hidden() + ", the model " + w.hidden());
            }
            ModelOutputs.Result ref = ModelOutputs.plaintext(reference, ReferenceBert.Attention.SOFTMAX, examples, tok.padId());
            String name = compare == null ? DefaultModel.NAME : compare.toString();
            out.printf(Locale.ROOT, "mean cosine of pooled outputs to %s: plaintext %.4f over %d examples%n", name,
                    ModelOutputs.meanCosine(plain.rows(), ref.rows()), examples.size());
            if (secure != null) {
                double[][] refFirst = java.util.Arrays.copyOf(ref.rows(), secureSet.size());
                double[][] plainFirst = java.util.Arrays.copyOf(plain.rows(), secureSet.size());
                out.printf(Locale.ROOT, "on the first %d: plaintext %.4f, inside MPC %.4f%n", secureSet.size(),
                        ModelOutputs.meanCosine(plainFirst, refFirst), ModelOutputs.meanCosine(secure.rows(), refFirst));
            }
        }
        if (secure != null) {
            out.printf(Locale.ROOT, "MPC: %.1f s, %.1f MB online, %d rounds in all (%.2f s per example; plaintext %.4f s per example)%n",
                    secure.seconds(), secure.onlineBytes() / 1e6, secure.rounds(), secure.seconds() / secureSet.size(),
                    plain.seconds() / examples.size());
        }
        out.flush();
        return 0;
    }

    private static float[] labels(List<Example> examples) {
        float[] y = new float[examples.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = examples.get(i).label();
            if (Float.isNaN(y[i])) {
                throw new IllegalArgumentException("example " + (i + 1) + " has no label (a GLUE test file?): use a dev file");
            }
        }
        return y;
    }

    private static void print(PrintWriter out, String what, Map<String, Double> metrics, int n) {
        StringBuilder sb = new StringBuilder();
        metrics.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.4f", k, v)));
        out.printf(Locale.ROOT, "%-32s %s (%d examples)%n", what + ":", sb, n);
    }
}
