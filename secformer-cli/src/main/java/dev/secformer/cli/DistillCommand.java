package dev.secformer.cli;

import dev.secformer.nn.BertWeights;
import dev.secformer.nn.DefaultModel;
import dev.secformer.nn.hf.HuggingFaceCheckpoint;
import dev.secformer.nn.text.WordPieceTokenizer;
import dev.secformer.nn.train.AttentionRange;
import dev.secformer.nn.train.Batch;
import dev.secformer.nn.train.Distillation;
import dev.secformer.nn.train.Example;
import dev.secformer.nn.train.TrainingData;
import dev.secformer.nn.train.TrainingState;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Distils a BERT checkpoint into a 2Quad student ({@link Distillation}), with periodic checkpoints
 * in {@code OUT/checkpoint} that {@code --resume} continues from, and the final student in
 * {@code OUT/model} (a Hugging Face folder with the tokenizer and the 2Quad range its secure
 * inference needs).
 */
@Command(name = "distill", mixinStandardHelpOptions = true,
        description = "Distil a BERT checkpoint into a student with 2Quad attention (SecFormer's two stages), on the JVM.")
final class DistillCommand implements Callable<Integer> {
    @Option(names = "--teacher", paramLabel = "PATH",
            description = "the teacher: a Hugging Face BERT folder or an ONNX export (default: the embedded all-MiniLM-L6-v2)")
    Path teacher;

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "training examples: a text file (one per line) or a GLUE TSV file (see --task)")
    Path data;

    @Option(names = "--task", defaultValue = "text",
            description = "format of --data: text, sst2, cola, mrpc, rte, qnli or stsb (default ${DEFAULT-VALUE})")
    String task;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "output folder: DIR/checkpoint while running, DIR/model at the end")
    Path out;

    @Option(names = "--seq", defaultValue = "128", description = "padded sequence length; longer examples are truncated (default ${DEFAULT-VALUE})")
    int seq;

    @Option(names = "--batch", defaultValue = "32", description = "examples per step (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--layer-epochs", defaultValue = "1", description = "stage 1 epochs (default ${DEFAULT-VALUE})")
    int layerEpochs;

    @Option(names = "--layer-lr", defaultValue = "5e-5", description = "stage 1 learning rate, constant (default ${DEFAULT-VALUE})")
    double layerRate;

    @Option(names = "--output-epochs", defaultValue = "5", description = "stage 2 epochs (default ${DEFAULT-VALUE})")
    int outputEpochs;

    @Option(names = "--output-lr", defaultValue = "1e-5", description = "stage 2 learning rate (default ${DEFAULT-VALUE})")
    double outputRate;

    @Option(names = "--warmup", defaultValue = "0.1", description = "stage 2 linear warm-up, fraction of its steps (default ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--weight-decay", defaultValue = "0", description = "AdamW weight decay (default ${DEFAULT-VALUE})")
    double weightDecay;

    @Option(names = "--seed", defaultValue = "1", description = "order of the examples (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--max-examples", paramLabel = "N", description = "use only the first N examples")
    Integer maxExamples;

    @Option(names = "--checkpoint-every", defaultValue = "200", paramLabel = "STEPS",
            description = "steps between checkpoints (default ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(names = "--max-steps", paramLabel = "N", description = "stop after N steps in this run, leaving a checkpoint to --resume from")
    Long maxSteps;

    @Option(names = "--resume", description = "continue from DIR/checkpoint")
    boolean resume;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter log = spec.commandLine().getOut();
        if (!Files.isRegularFile(data)) {
            throw new IllegalArgumentException(data + ": no such file");
        }
        if (checkpointEvery < 1 || maxSteps != null && maxSteps < 1 || maxExamples != null && maxExamples < 1) {
            throw new IllegalArgumentException("--checkpoint-every, --max-steps and --max-examples must be at least 1");
        }
        Distillation.Settings settings = new Distillation.Settings(seq, batch, layerEpochs, layerRate, outputEpochs,
                outputRate, warmup, weightDecay, seed);
        Path checkpoint = out.resolve("checkpoint");
        Path model = out.resolve("model");
        if (!resume && (Files.exists(checkpoint) || Files.exists(model))) {
            throw new IllegalArgumentException(out + " already holds a distillation: pass --resume to continue it, or another --out");
        }
        if (resume && !Files.isDirectory(checkpoint)) {
            throw new IllegalArgumentException("--resume: no checkpoint in " + out);
        }
        BertWeights t = Models.weights(teacher);
        if (seq > t.maxPositions()) {
            throw new IllegalArgumentException("--seq " + seq + " exceeds the model's " + t.maxPositions() + " positions");
        }
        WordPieceTokenizer tok = Models.tokenizer(teacher);
        List<Example> examples = TrainingData.read(data, TrainingData.Task.named(task), tok, seq);
        if (maxExamples != null && examples.size() > maxExamples) {
            examples = new ArrayList<>(examples.subList(0, maxExamples));
        }
        Files.createDirectories(out);
        Path tokenizer = out.resolve(teacher == null ? "tokenizer.json" : Models.tokenizerFile(teacher).getFileName().toString());
        if (teacher == null) {
            DefaultModel.copyTokenizer(tokenizer);
        } else {
            Files.copy(Models.tokenizerFile(teacher), tokenizer, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Distillation d = new Distillation(t, settings);
        TrainingState from = resume ? TrainingState.read(checkpoint) : new TrainingState(Distillation.Stage.LAYERS, 0, t, null);
        log.printf(Locale.ROOT, "distilling %s (%d layers, hidden %d) on %d examples of %s: stage 1 %d steps, stage 2 %d steps%s%n",
                teacher == null ? DefaultModel.NAME : teacher, t.layers(), t.hidden(), examples.size(), data,
                d.steps(Distillation.Stage.LAYERS, examples.size()), d.steps(Distillation.Stage.OUTPUT, examples.size()),
                resume ? ", resuming at " + from.stage() + " step " + from.step() : "");
        log.flush();
        Listener listener = new Listener(examples.size(), d, from, checkpoint, tokenizer);
        Optional<BertWeights> student;
        try {
            student = d.resume(examples, from, listener);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            listener.close();
        }
        if (student.isEmpty()) {
            log.printf(Locale.ROOT, "stopped after %d steps; checkpoint in %s (continue with --resume)%n", maxSteps, checkpoint);
            return 0;
        }
        List<Batch> sample = new ArrayList<>();
        for (int i = 0; i < Math.min(examples.size(), 256); i += batch) {
            sample.add(Batch.of(examples.subList(i, Math.min(i + batch, Math.min(examples.size(), 256))), seq, tok.padId()));
        }
        double meanTerm = AttentionRange.maxMeanTerm(student.get(), sample);
        Path tmp = out.resolve("model.partial");
        HuggingFaceCheckpoint.write(tmp, student.get(), tokenizer);
        // twice the largest mean term seen on the training sample: unseen inputs may go further
        Models.writeSuiteSettings(tmp, 2 * meanTerm);
        Files.move(tmp, model, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        log.printf(Locale.ROOT, "student written to %s (2Quad mean terms up to %.1f on the training sample; secure range set to %.1f)%n",
                model, meanTerm, 2 * meanTerm);
        return 0;
    }

    /** Progress bars per stage, checkpoints and the step budget. */
    private final class Listener implements Distillation.Listener, AutoCloseable {
        private final int examples;
        private final Distillation distillation;
        private final Path checkpoint;
        private final Path tokenizer;
        private TaskProgress progress;
        private Distillation.Stage stage;
        private long stepsThisRun;

        Listener(int examples, Distillation distillation, TrainingState from, Path checkpoint, Path tokenizer) {
            this.examples = examples;
            this.distillation = distillation;
            this.checkpoint = checkpoint;
            this.tokenizer = tokenizer;
            this.stage = from.stage();
            this.progress = new TaskProgress(label(stage), distillation.steps(stage, examples), from.step(), batch);
        }

        private static String label(Distillation.Stage s) {
            return s == Distillation.Stage.LAYERS ? "stage 1 (layers)" : "stage 2 (output)";
        }

        @Override
        public void step(Distillation.Stage s, long step, long steps, double loss) {
            if (s != stage) {
                progress.close();
                stage = s;
                progress = new TaskProgress(label(s), steps, 0, batch);
            }
            stepsThisRun++;
            progress.step(step, loss);
        }

        @Override
        public boolean checkpointDue(Distillation.Stage s, long step) {
            return step % checkpointEvery == 0;
        }

        @Override
        public boolean stopRequested() {
            return maxSteps != null && stepsThisRun >= maxSteps;
        }

        @Override
        public void checkpoint(TrainingState state) {
            try {
                state.write(checkpoint, tokenizer);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            progress.close();
        }
    }
}
