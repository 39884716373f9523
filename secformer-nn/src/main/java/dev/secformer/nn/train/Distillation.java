package dev.secformer.nn.train;

import dev.secformer.nn.BertWeights;
import dev.secformer.nn.ReferenceBert;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Distils a teacher (exact softmax) into a student of the same architecture with 2Quad attention,
 * initialised from the teacher, in two stages (SecFormer's recipe, from MPCFormer and TinyBERT):
 * stage 1 matches every layer's attention scores and hidden states ({@link Objective.Kind#LAYERS}),
 * stage 2 the output ({@link Objective.Kind#OUTPUT}: logits of a classifier, or mean-pooled states
 * of an encoder). Each stage runs its epochs over the examples in an order shuffled per epoch from
 * the seed, so a run resumed from a {@link TrainingState} at step s sees the same batches as an
 * uninterrupted one.
 */
public final class Distillation {
    /** The two stages, in order. */
    public enum Stage { LAYERS, OUTPUT }

    /**
     * @param seq            padded length of every batch (longer examples are refused)
     * @param batchSize      examples per step
     * @param layerEpochs    stage 1 epochs (0 skips the stage)
     * @param layerRate      stage 1 learning rate
     * @param outputEpochs   stage 2 epochs (0 skips the stage)
     * @param outputRate     stage 2 learning rate
     * @param warmupFraction fraction of stage 2's steps with a linear warm-up of the rate (stage 1
     *                       runs at a constant rate)
     * @param weightDecay    AdamW's decoupled weight decay
     * @param seed           order of the examples
     */
    public record Settings(int seq, int batchSize, int layerEpochs, double layerRate, int outputEpochs,
                           double outputRate, double warmupFraction, double weightDecay, long seed) {
        public Settings {
            if (seq < 2 || batchSize < 1 || layerEpochs < 0 || outputEpochs < 0 || !(warmupFraction >= 0 && warmupFraction <= 1)) {
                throw new IllegalArgumentException("bad distillation settings: " + this);
            }
        }

        /**
         * SecFormer's settings (DESIGN.md section 6): stage 1 at 5e-5 with a constant rate, stage 2
         * at 1e-5 for 5 epochs with 10% linear warm-up, batches of 32.
         */
        public static Settings defaults(int seq) {
            return new Settings(seq, 32, 1, 5e-5, 5, 1e-5, 0.1, 0.0, 1);
        }
    }

    /** Progress of a run. */
    public interface Listener {
        /** After each step: the stage, the step within the stage (from 1), the stage's steps, the loss. */
        void step(Stage stage, long step, long steps, double loss);

        /** After each step: whether to save a checkpoint now (the caller writes it). */
        default boolean checkpointDue(Stage stage, long step) {
            return false;
        }

        /** After each step: whether to stop here (a checkpoint of this point is offered first). */
        default boolean stopRequested() {
            return false;
        }

        /** A checkpoint to write. */
        default void checkpoint(TrainingState state) {
        }
    }

    private final BertWeights teacher;
    private final Settings settings;

    public Distillation(BertWeights teacher, Settings settings) {
        this.teacher = teacher;
        this.settings = settings;
    }

    /** Steps of one stage over {@code examples} examples. */
    public long steps(Stage stage, int examples) {
        int epochs = stage == Stage.LAYERS ? settings.layerEpochs() : settings.outputEpochs();
        return (long) epochs * ((examples + settings.batchSize() - 1) / settings.batchSize());
    }

    /** Runs both stages from the teacher; returns the student's weights (empty if stopped early). */
    public Optional<BertWeights> run(List<Example> examples, Listener listener) {
        return resume(examples, new TrainingState(Stage.LAYERS, 0, teacher, null), listener);
    }

    /**
     * Continues from a saved state (its stage and step, student weights and optimizer moments);
     * returns the student's weights, or empty if the listener asked to stop before the end.
     */
    public Optional<BertWeights> resume(List<Example> examples, TrainingState from, Listener listener) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no examples to distil on");
        }
        BertWeights student = from.student();
        for (Stage stage : Stage.values()) {
            if (stage.ordinal() < from.stage().ordinal()) {
                continue;
            }
            boolean resumed = stage == from.stage();
            Optional<BertWeights> end = stage(stage, examples, student, resumed ? from : null, listener);
            if (end.isEmpty()) {
                return end;
            }
            student = end.get();
        }
        return Optional.of(student);
    }

    private Optional<BertWeights> stage(Stage stage, List<Example> examples, BertWeights start, TrainingState from,
                                        Listener listener) {
        long steps = steps(stage, examples.size());
        long done = from == null ? 0 : from.step();
        if (steps == 0 || done >= steps) {
            return Optional.of(start);
        }
        double rate = stage == Stage.LAYERS ? settings.layerRate() : settings.outputRate();
        long warmup = stage == Stage.LAYERS ? 0 : Math.round(settings.warmupFraction() * steps);
        AdamW opt = new AdamW(rate, settings.weightDecay(), warmup);
        BertGraph student = new BertGraph(start, ReferenceBert.Attention.TWO_QUAD, settings.seq(), DataType.FLOAT);
        BertGraph teacherGraph = new BertGraph(teacherFor(start), ReferenceBert.Attention.SOFTMAX, settings.seq(), DataType.FLOAT);
        Trainer trainer = new Trainer(student, teacherGraph,
                stage == Stage.LAYERS ? Objective.Kind.LAYERS : Objective.Kind.OUTPUT, opt);
        if (from != null && from.moments() != null) {
            opt.restore(from.moments(), done);
        }
        int perEpoch = (examples.size() + settings.batchSize() - 1) / settings.batchSize();
        List<Example> order = null;
        int orderEpoch = -1;
        int pad = 0; // any valid id: padded positions are masked out of attention and of every loss
        for (long s = done; s < steps; s++) {
            int epoch = (int) (s / perEpoch);
            if (epoch != orderEpoch) {
                order = new ArrayList<>(examples);
                Collections.shuffle(order, new Random(settings.seed() * 1_000_003L + stage.ordinal() * 7919L + epoch));
                orderEpoch = epoch;
            }
            int first = (int) (s % perEpoch) * settings.batchSize();
            Batch b = Batch.of(order.subList(first, Math.min(order.size(), first + settings.batchSize())), settings.seq(), pad);
            double loss = trainer.step(b);
            listener.step(stage, s + 1, steps, loss);
            boolean stop = listener.stopRequested() && s + 1 < steps;
            if ((stop || listener.checkpointDue(stage, s + 1)) && s + 1 < steps) {
                listener.checkpoint(new TrainingState(stage, s + 1, student.weights(), opt.state()));
            }
            if (stop) {
                return Optional.empty();
            }
        }
        BertWeights end = student.weights();
        if (stage == Stage.LAYERS) {
            listener.checkpoint(new TrainingState(Stage.OUTPUT, 0, end, null));
            if (listener.stopRequested()) {
                return Optional.empty();
            }
        }
        return Optional.of(end);
    }

    /** The teacher as the student sees it: with a head only if the student has one. */
    private BertWeights teacherFor(BertWeights student) {
        boolean head = student.tensors().containsKey("classifier.weight");
        return head ? teacher : teacher.withoutHead();
    }
}
