package dev.secformer.nn.train;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One training run: a student {@link BertGraph}, its {@link Objective}, the teacher graph that
 * supplies the targets (none for {@link Objective.Kind#LABELS}) and an {@link AdamW} optimizer.
 * {@link #step} takes one batch: teacher forward, student forward and backward, one update.
 */
public final class Trainer {
    private final BertGraph student;
    private final BertGraph teacher;
    private final Objective objective;
    private final AdamW optimizer;
    private final List<String> variables;
    private Batch lastBatch;
    private Map<String, INDArray> lastTeacherValues;
    private boolean gradientGraphBuilt;

    public Trainer(BertGraph student, BertGraph teacher, Objective.Kind kind, AdamW optimizer) {
        if ((teacher == null) != (kind == Objective.Kind.LABELS)) {
            throw new IllegalArgumentException(kind == Objective.Kind.LABELS
                    ? "training on labels takes no teacher" : "distillation needs a teacher");
        }
        if (teacher != null && teacher.seq() != student.seq()) {
            throw new IllegalArgumentException("teacher and student graphs must have the same sequence length");
        }
        this.student = student;
        this.teacher = teacher;
        this.objective = new Objective(kind, student);
        this.optimizer = optimizer;
        this.variables = student.variableNames();
    }

    public BertGraph student() {
        return student;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    /** The loss of a batch and the gradient of every trainable variable, without updating. */
    public OutAndGrad lossAndGradients(Batch b) {
        Map<String, INDArray> feed = feed(b);
        if (!gradientGraphBuilt) {
            gradientGraphBuilt = true;
            // ND4J 1.0.0-M2.1 builds the backward graph on the first call and prints one
            // "Added differentiated op" line per op to System.out (some 400 for a BERT): hide them.
            PrintStream out = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                return student.sameDiff().calculateGradientsAndOutputs(feed, List.of(Objective.LOSS), variables);
            } finally {
                System.setOut(out);
            }
        }
        return student.sameDiff().calculateGradientsAndOutputs(feed, List.of(Objective.LOSS), variables);
    }

    /** The loss of a batch (no update). */
    public double loss(Batch b) {
        return student.sameDiff().output(feed(b), Objective.LOSS).get(Objective.LOSS).getDouble(0);
    }

    /** One optimizer step on a batch; returns the batch's loss before the update. */
    public double step(Batch b) {
        OutAndGrad r = lossAndGradients(b);
        Map<String, INDArray> params = new HashMap<>();
        for (String v : variables) {
            if (r.getGradients().containsKey(v)) { // the others do not affect this objective
                params.put(v, student.sameDiff().getVariable(v).getArr());
            }
        }
        optimizer.apply(params, r.getGradients());
        return r.getOutputs().get(Objective.LOSS).getDouble(0);
    }

    private Map<String, INDArray> feed(Batch b) {
        Map<String, INDArray> feed = new HashMap<>(student.feed(b));
        Map<String, INDArray> teacherValues = Map.of();
        if (teacher != null) {
            if (b != lastBatch) { // the same batch again (a loss after a step, a gradient check): reuse
                List<String> wanted = objective.teacherOutputs();
                lastTeacherValues = teacher.sameDiff().output(teacher.feed(b), wanted.toArray(String[]::new));
                lastBatch = b;
            }
            teacherValues = lastTeacherValues;
        }
        feed.putAll(objective.targets(b, teacherValues));
        return feed;
    }
}
