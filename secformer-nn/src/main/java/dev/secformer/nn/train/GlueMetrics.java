package dev.secformer.nn.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GLUE's metrics of predictions against labels: accuracy for every classification task, F1 of
 * class 1 for MRPC, Matthews correlation for CoLA, Pearson correlation for STS-B.
 */
public final class GlueMetrics {
    private GlueMetrics() {
    }

    /** The task's metrics by name; {@code predicted} are class indices, or scores for STS-B. */
    public static Map<String, Double> of(TrainingData.Task task, double[] predicted, float[] labels) {
        if (predicted.length != labels.length || labels.length == 0) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + labels.length + " labels");
        }
        Map<String, Double> m = new LinkedHashMap<>();
        if (task == TrainingData.Task.STSB) {
            m.put("pearson", pearson(predicted, labels));
            return m;
        }
        long tp = 0, tn = 0, fp = 0, fn = 0;
        for (int i = 0; i < labels.length; i++) {
            if (Float.isNaN(labels[i])) {
                throw new IllegalArgumentException("example " + i + " has no label");
            }
            boolean p = predicted[i] == 1;
            boolean y = labels[i] == 1;
            tp += p && y ? 1 : 0;
            tn += !p && !y ? 1 : 0;
            fp += p && !y ? 1 : 0;
            fn += !p && y ? 1 : 0;
        }
        m.put("accuracy", (double) (tp + tn) / labels.length);
        if (task == TrainingData.Task.MRPC) {
            m.put("f1", tp == 0 ? 0.0 : 2.0 * tp / (2.0 * tp + fp + fn));
        }
        if (task == TrainingData.Task.COLA) {
            double d = Math.sqrt((double) (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
            m.put("matthews", d == 0 ? 0.0 : ((double) tp * tn - (double) fp * fn) / d);
        }
        return m;
    }

    static double pearson(double[] x, float[] y) {
        double mx = 0, my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= x.length;
        my /= x.length;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    }
}
