package dev.secformer.protocols;

import java.util.Random;

import dev.secformer.core.RingTensor;

/** BERT-like LayerNorm inputs with chosen per-row variances, and the double-precision oracle. */
final class LayerNormCase {
    final int rows;
    final int d;
    final double[] x;
    final double[] gamma;
    final double[] beta;

    private LayerNormCase(int rows, int d, double[] x, double[] gamma, double[] beta) {
        this.rows = rows;
        this.d = d;
        this.x = x;
        this.gamma = gamma;
        this.beta = beta;
    }

    /**
     * Rows with the given variances (before rounding to fixed point): a random mean in [-3, 3],
     * Gaussian deviations with 2 % outliers eight times larger (the heavy tails of BERT's hidden
     * states), rescaled to the exact variance. Gamma in [0.3, 1.7] with random signs for a tenth of
     * them, beta in [-0.5, 0.5].
     */
    static LayerNormCase withVariances(Random rnd, int d, double[] variances) {
        int rows = variances.length;
        double[] x = new double[rows * d];
        for (int r = 0; r < rows; r++) {
            double[] g = new double[d];
            double mean = 0;
            for (int j = 0; j < d; j++) {
                g[j] = rnd.nextGaussian() * (rnd.nextDouble() < 0.02 ? 8 : 1);
                mean += g[j] / d;
            }
            double var = 0;
            for (int j = 0; j < d; j++) {
                g[j] -= mean;
                var += g[j] * g[j] / d;
            }
            double center = -3 + 6 * rnd.nextDouble();
            for (int j = 0; j < d; j++) {
                x[r * d + j] = center + g[j] * Math.sqrt(variances[r] / var);
            }
        }
        double[] gamma = new double[d];
        double[] beta = new double[d];
        for (int j = 0; j < d; j++) {
            gamma[j] = (0.3 + 1.4 * rnd.nextDouble()) * (rnd.nextDouble() < 0.1 ? -1 : 1);
            beta[j] = rnd.nextDouble() - 0.5;
        }
        return new LayerNormCase(rows, d, x, gamma, beta);
    }

    /** Log-uniform variances in [lo, hi], the first two rows exactly at the ends. */
    static double[] logUniform(Random rnd, int rows, double lo, double hi) {
        double[] v = new double[rows];
        for (int r = 0; r < rows; r++) {
            v[r] = r == 0 ? lo : r == 1 ? hi : lo * Math.pow(hi / lo, rnd.nextDouble());
        }
        return v;
    }

    RingTensor[] encoded() {
        return new RingTensor[] {Mpc.FP.encode(x, rows, d), Mpc.FP.encode(gamma, d), Mpc.FP.encode(beta, d)};
    }

    /** The normalised values z of the fixed-point inputs (exact LayerNorm before gamma and beta). */
    double[] normalised() {
        double[] z = new double[x.length];
        for (int r = 0; r < rows; r++) {
            double mean = 0;
            for (int j = 0; j < d; j++) {
                mean += Mpc.quantized(x[r * d + j]) / d;
            }
            double var = 0;
            for (int j = 0; j < d; j++) {
                double c = Mpc.quantized(x[r * d + j]) - mean;
                var += c * c / d;
            }
            for (int j = 0; j < d; j++) {
                z[r * d + j] = var == 0 ? 0 : (Mpc.quantized(x[r * d + j]) - mean) / Math.sqrt(var);
            }
        }
        return z;
    }

    /**
     * Largest error of {@code out} relative to the documented scale |gamma| + |gamma z| (an error of
     * 1e-3 of the normalised output, scaled by gamma).
     */
    double worstRelativeError(double[] out) {
        double[] z = normalised();
        double worst = 0;
        for (int i = 0; i < out.length; i++) {
            double g = Mpc.quantized(gamma[i % d]);
            double want = g * z[i] + Mpc.quantized(beta[i % d]);
            double err = Math.max(0, Math.abs(out[i] - want) - Math.scalb(1.0, -15));
            worst = Math.max(worst, err / (Math.abs(g) + Math.abs(g * z[i])));
        }
        return worst;
    }
}
