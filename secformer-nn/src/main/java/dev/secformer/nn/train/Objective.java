package dev.secformer.nn.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a training run minimises, as a scalar loss variable added to a student {@link BertGraph},
 * with the targets it reads from placeholders.
 *
 * <ul>
 *   <li>{@link Kind#LAYERS} (distillation stage 1): sum over layers of the mean squared difference
 *       of the pre-softmax attention scores (padded entries zeroed in both) plus sum over every
 *       hidden state, embedding output included, of the mean squared difference (padded rows
 *       zeroed).</li>
 *   <li>{@link Kind#OUTPUT} (stage 2): with a classification head, soft cross-entropy
 *       -sum_c softmax(t)_c log softmax(s)_c averaged over the batch (temperature 1); with a
 *       regression head (one output), the mean squared difference of the outputs; for an encoder
 *       without a head, the mean squared difference of the mean-pooled outputs.</li>
 *   <li>{@link Kind#LABELS} (ordinary fine-tuning, used to build test teachers): cross-entropy on
 *       hard labels, or the mean squared error for a regression head.</li>
 * </ul>
 */
public final class Objective {
    /** The kinds of loss. */
    public enum Kind { LAYERS, OUTPUT, LABELS }

    public static final String LOSS = "loss";

    private final Kind kind;
    private final BertGraph student;
    /** Target placeholder name -> the teacher output it takes (null for the label placeholder). */
    private final List<String[]> targets = new ArrayList<>();

    public Objective(Kind kind, BertGraph student) {
        this.kind = kind;
        this.student = student;
        SameDiff sd = student.sameDiff();
        SDVariable loss;
        switch (kind) {
            case LAYERS -> {
                List<SDVariable> terms = new ArrayList<>();
                for (int l = 0; l < student.config().layers(); l++) {
                    terms.add(mse(sd, student.scores(l), "t_scores_" + l, student.scores(l).name()));
                }
                for (int l = 0; l <= student.config().layers(); l++) {
                    terms.add(mse(sd, student.hidden(l), "t_hidden_" + l, student.hidden(l).name()));
                }
                loss = terms.get(0);
                for (int i = 1; i < terms.size(); i++) {
                    loss = loss.add(terms.get(i));
                }
            }
            case OUTPUT -> {
                SDVariable out = student.logits() == null ? student.meanPooled() : student.logits();
                if (student.logits() != null && labels() > 1) {
                    SDVariable t = target(sd, "t_logits", out.name());
                    loss = softCrossEntropy(sd, out, t);
                } else {
                    loss = mse(sd, out, "t_output", out.name());
                }
            }
            case LABELS -> {
                if (student.logits() == null) {
                    throw new IllegalArgumentException("training on labels needs a model with a classifier head");
                }
                SDVariable y = sd.placeHolder("labels", student.dataType(), -1, labels());
                targets.add(new String[] {"labels", null});
                loss = labels() > 1 ? softCrossEntropy(sd, student.logits(), y)
                        : student.logits().sub(y).mul(student.logits().sub(y)).mean();
            }
            default -> throw new IllegalStateException();
        }
        loss.rename(LOSS);
        sd.setLossVariables(LOSS);
    }

    private int labels() {
        return (int) student.sameDiff().getVariable(BertGraph.variable("classifier.bias")).getArr().length();
    }

    private SDVariable target(SameDiff sd, String name, String teacherOutput) {
        targets.add(new String[] {name, teacherOutput});
        int h = student.config().hidden();
        int n = student.seq();
        long[] shape = teacherOutput.startsWith("scores_") ? new long[] {-1, student.config().heads(), n, n}
                : teacherOutput.equals("logits") ? new long[] {-1, labels()} : new long[] {-1, h};
        return sd.placeHolder(name, student.dataType(), shape);
    }

    private SDVariable mse(SameDiff sd, SDVariable out, String name, String teacherOutput) {
        SDVariable diff = out.sub(target(sd, name, teacherOutput));
        return diff.mul(diff).mean();
    }

    /** -sum_c softmax(t)_c log softmax(s)_c, averaged over the rows; t are logits, or one-hot labels. */
    private SDVariable softCrossEntropy(SameDiff sd, SDVariable logits, SDVariable t) {
        SDVariable p = kind == Kind.LABELS ? t : sd.nn.softmax(t, 1);
        return p.mul(logSoftmax(sd, logits)).sum(1).mean().neg();
    }

    /**
     * z - max - log sum exp(z - max) per row, written out: ND4J's log_softmax op cannot be cloned
     * into the gradient graph in 1.0.0-M2.1.
     */
    private static SDVariable logSoftmax(SameDiff sd, SDVariable z) {
        SDVariable shifted = z.sub(z.max(true, 1));
        return shifted.sub(sd.math.log(sd.math.exp(shifted).sum(true, 1)));
    }

    public Kind kind() {
        return kind;
    }

    /** Names of the teacher outputs this objective needs (empty for {@link Kind#LABELS}). */
    public List<String> teacherOutputs() {
        List<String> names = new ArrayList<>();
        for (String[] t : targets) {
            if (t[1] != null) {
                names.add(t[1]);
            }
        }
        return names;
    }

    /**
     * The target placeholders of a batch: the teacher's outputs (computed by a teacher graph of the
     * same shape, whose output variables carry the same names) or the batch's labels.
     */
    public Map<String, INDArray> targets(Batch b, Map<String, INDArray> teacherValues) {
        Map<String, INDArray> out = new java.util.HashMap<>();
        for (String[] t : targets) {
            if (t[1] == null) {
                out.put(t[0], labelArray(b));
            } else {
                out.put(t[0], teacherValues.get(t[1]).castTo(student.dataType()));
            }
        }
        return out;
    }

    private INDArray labelArray(Batch b) {
        int c = labels();
        if (c == 1) {
            return Nd4j.create(b.labels(), new long[] {b.size(), 1}, 'c').castTo(student.dataType());
        }
        float[] oneHot = new float[b.size() * c];
        for (int i = 0; i < b.size(); i++) {
            int y = (int) b.labels()[i];
            if (y < 0 || y >= c || y != b.labels()[i]) {
                throw new IllegalArgumentException("label " + b.labels()[i] + " of example " + i + " is not a class in [0, " + c + ")");
            }
            oneHot[i * c + y] = 1;
        }
        return Nd4j.create(oneHot, new long[] {b.size(), c}, 'c').castTo(student.dataType());
    }
}
