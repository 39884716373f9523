package dev.secformer.nn;

import dev.secformer.nn.secure.PlainBertWeights;
import java.util.function.DoubleUnaryOperator;

/**
 * BERT's encoder in plain double-precision Java, with switchable nonlinear parts: the oracle of
 * the secure model (the same approximations in plain arithmetic) and of the checkpoint loaders
 * (against ONNX Runtime). Straightforward loops, not tuned: a correctness reference, not a yardstick
 * of speed.
 */
public final class ReferenceBert {
    /** How attention weights are computed from scores. */
    public enum Attention {
        /** softmax over real keys. */
        SOFTMAX,
        /** MPCFormer's 2Quad: (x + 5)^2 / sum over real keys of (x + 5)^2. */
        TWO_QUAD
    }

    private final PlainBertWeights w;
    private final Attention attention;
    private final DoubleUnaryOperator gelu;
    private final double layerNormEps;

    /**
     * @param gelu         the activation (exact GeLU or an approximation's reference)
     * @param layerNormEps epsilon added to the variance
     */
    public ReferenceBert(PlainBertWeights w, Attention attention, DoubleUnaryOperator gelu, double layerNormEps) {
        this.w = w;
        this.attention = attention;
        this.gelu = gelu;
        this.layerNormEps = layerNormEps;
    }

    /** Exact GeLU, x Phi(x), with erf from {@link Math}-free series (see {@link #erf}). */
    public static double exactGelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    /** erf with absolute error below 1.2e-7 (Numerical Recipes' erfc Chebyshev fit). */
    public static double erf(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - r : r - 1;
    }

    /**
     * The last hidden state {@code [B*n, H]}, row-major.
     *
     * @param valid true for real tokens, false for padding (padded keys get no attention)
     */
    public double[] forward(int[][] tokenIds, int[][] typeIds, boolean[][] valid) {
        int batch = tokenIds.length;
        int seq = tokenIds[0].length;
        int h = w.hidden();
        int rows = batch * seq;
        float[] word = w.wordEmbeddings();
        float[] pos = w.positionEmbeddings();
        float[] type = w.tokenTypeEmbeddings();
        double[] x = new double[rows * h];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < seq; i++) {
                int r = (b * seq + i) * h;
                for (int j = 0; j < h; j++) {
                    x[r + j] = word[tokenIds[b][i] * h + j] + pos[i * h + j] + type[typeIds[b][i] * h + j];
                }
            }
        }
        x = layerNorm(x, h, w.embeddingLnGamma(), w.embeddingLnBeta());
        for (int l = 0; l < w.layers(); l++) {
            double[] q = linear(x, h, w.query(l), w.queryBias(l), h);
            double[] k = linear(x, h, w.key(l), w.keyBias(l), h);
            double[] v = linear(x, h, w.value(l), w.valueBias(l), h);
            double[] ctx = attend(q, k, v, batch, seq, valid);
            double[] a = linear(ctx, h, w.attentionOutput(l), w.attentionOutputBias(l), h);
            x = layerNorm(add(x, a), h, w.attentionLnGamma(l), w.attentionLnBeta(l));
            double[] inter = linear(x, h, w.ffnIn(l), w.ffnInBias(l), w.intermediate());
            for (int i = 0; i < inter.length; i++) {
                inter[i] = gelu.applyAsDouble(inter[i]);
            }
            double[] o = linear(inter, w.intermediate(), w.ffnOut(l), w.ffnOutBias(l), h);
            x = layerNorm(add(x, o), h, w.outputLnGamma(l), w.outputLnBeta(l));
        }
        return x;
    }

    /**
     * The head on top of the encoder: pooled = tanh(h_[CLS] W_p + b_p) per sequence, then the
     * classifier's logits if the model has one; null if it has no pooler.
     *
     * @param tanh tanh itself or an approximation's reference
     */
    public double[] head(double[] hidden, int batch, int seq, DoubleUnaryOperator tanh) {
        if (w.poolerWeight() == null) {
            return null;
        }
        int h = w.hidden();
        double[] cls = new double[batch * h];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(hidden, b * seq * h, cls, b * h, h);
        }
        double[] pooled = linear(cls, h, w.poolerWeight(), w.poolerBias(), h);
        for (int i = 0; i < pooled.length; i++) {
            pooled[i] = tanh.applyAsDouble(pooled[i]);
        }
        return w.classifierWeight() == null ? pooled
                : linear(pooled, h, w.classifierWeight(), w.classifierBias(), w.classifierBias().length);
    }

    private double[] attend(double[] q, double[] k, double[] v, int batch, int seq, boolean[][] valid) {
        int h = w.hidden();
        int heads = w.heads();
        int d = h / heads;
        double scale = 1 / Math.sqrt(d);
        double[] out = new double[q.length];
        double[] p = new double[seq];
        for (int b = 0; b < batch; b++) {
            for (int hd = 0; hd < heads; hd++) {
                for (int i = 0; i < seq; i++) {
                    int qi = (b * seq + i) * h + hd * d;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < seq; j++) {
                        int kj = (b * seq + j) * h + hd * d;
                        double s = 0;
                        for (int t = 0; t < d; t++) {
                            s += q[qi + t] * k[kj + t];
                        }
                        p[j] = s * scale;
                        if (valid[b][j]) {
                            max = Math.max(max, p[j]);
                        }
                    }
                    double sum = 0;
                    for (int j = 0; j < seq; j++) {
                        double e = !valid[b][j] ? 0
                                : attention == Attention.SOFTMAX ? Math.exp(p[j] - max) : (p[j] + 5) * (p[j] + 5);
                        p[j] = e;
                        sum += e;
                    }
                    for (int j = 0; j < seq; j++) {
                        double wgt = sum == 0 ? 0 : p[j] / sum;
                        if (wgt == 0) {
                            continue;
                        }
                        int vj = (b * seq + j) * h + hd * d;
                        for (int t = 0; t < d; t++) {
                            out[qi + t] += wgt * v[vj + t];
                        }
                    }
                }
            }
        }
        return out;
    }

    private static double[] linear(double[] x, int in, float[] weight, float[] bias, int out) {
        int rows = x.length / in;
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            int yr = r * out;
            for (int j = 0; j < out; j++) {
                y[yr + j] = bias[j];
            }
            for (int t = 0; t < in; t++) {
                double xv = x[r * in + t];
                int wr = t * out;
                for (int j = 0; j < out; j++) {
                    y[yr + j] += xv * weight[wr + j];
                }
            }
        }
        return y;
    }

    private double[] layerNorm(double[] x, int h, float[] gamma, float[] beta) {
        double[] y = new double[x.length];
        for (int r = 0; r < x.length / h; r++) {
            double mean = 0;
            for (int j = 0; j < h; j++) {
                mean += x[r * h + j];
            }
            mean /= h;
            double var = 0;
            for (int j = 0; j < h; j++) {
                double c = x[r * h + j] - mean;
                var += c * c;
            }
            var /= h;
            double inv = 1 / Math.sqrt(var + layerNormEps);
            for (int j = 0; j < h; j++) {
                y[r * h + j] = (x[r * h + j] - mean) * inv * gamma[j] + beta[j];
            }
        }
        return y;
    }

    private static double[] add(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = a[i] + b[i];
        }
        return r;
    }
}
