package dev.secformer.nn.train;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter) over named ND4J arrays, with a linear
 * warm-up of the learning rate from 0 over the first {@code warmup} steps, then constant:
 *
 * <pre>
 *   m = b1 m + (1 - b1) g;   v = b2 v + (1 - b2) g^2
 *   w = w - lr_t (m / (1 - b1^t) / (sqrt(v / (1 - b2^t)) + eps) + decay w)
 * </pre>
 *
 * Weight decay applies to weight matrices and embeddings only, not to biases or LayerNorm
 * parameters (the usual BERT recipe). The moments and the step count are the optimizer's state,
 * saved with checkpoints so that training resumes exactly.
 */
public final class AdamW {
    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double EPSILON = 1e-8;

    private final double rate;
    private final double decay;
    private final long warmup;
    private final Map<String, INDArray> first = new HashMap<>();
    private final Map<String, INDArray> second = new HashMap<>();
    private long step;

    public AdamW(double rate, double decay, long warmup) {
        if (!(rate > 0) || !(decay >= 0) || warmup < 0) {
            throw new IllegalArgumentException("need learning rate > 0, weight decay >= 0, warm-up >= 0; got "
                    + rate + ", " + decay + ", " + warmup);
        }
        this.rate = rate;
        this.decay = decay;
        this.warmup = warmup;
    }

    /** The learning rate of step t (counted from 1). */
    public double rateAt(long t) {
        return warmup == 0 ? rate : rate * Math.min(1.0, (double) t / warmup);
    }

    /** Steps taken so far. */
    public long step() {
        return step;
    }

    /** Updates every parameter in place from its gradient; one optimizer step. */
    public void apply(Map<String, INDArray> parameters, Map<String, INDArray> gradients) {
        step++;
        double lr = rateAt(step);
        double c1 = 1 - Math.pow(BETA1, step);
        double c2 = 1 - Math.pow(BETA2, step);
        for (Map.Entry<String, INDArray> e : parameters.entrySet()) {
            INDArray g = gradients.get(e.getKey());
            if (g == null) {
                throw new IllegalStateException("no gradient for " + e.getKey());
            }
            INDArray w = e.getValue();
            INDArray m = first.computeIfAbsent(e.getKey(), k -> w.ulike());
            INDArray v = second.computeIfAbsent(e.getKey(), k -> w.ulike());
            m.muli(BETA1).addi(g.mul(1 - BETA1));
            v.muli(BETA2).addi(g.mul(g).muli(1 - BETA2));
            INDArray update = m.div(c1).divi(Transforms.sqrt(v.div(c2), false).addi(EPSILON));
            if (decay > 0 && decays(e.getKey())) {
                update.addi(w.mul(decay));
            }
            w.subi(update.muli(lr));
        }
    }

    /** Weight matrices and embeddings decay; biases and LayerNorm parameters do not. */
    static boolean decays(String variable) {
        return !(variable.endsWith("_bias") || variable.endsWith("_gamma") || variable.endsWith("_beta"));
    }

    /** The moments, by variable name with a "m/" or "v/" prefix (for checkpoints). */
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new HashMap<>();
        first.forEach((k, a) -> s.put("m/" + k, a));
        second.forEach((k, a) -> s.put("v/" + k, a));
        return s;
    }

    /** Restores the moments and the step count of a checkpoint. */
    public void restore(Map<String, INDArray> state, long steps) {
        first.clear();
        second.clear();
        state.forEach((k, a) -> (k.startsWith("m/") ? first : second).put(k.substring(2), a.dup()));
        this.step = steps;
    }
}
