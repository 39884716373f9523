package dev.secformer.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** AdamW against its update rule computed by hand. */
class AdamWTest {
    @Test
    void stepsFollowTheUpdateRuleWithWarmUpAndDecoupledDecayOnWeightsOnly() {
        AdamW opt = new AdamW(0.1, 0.01, 4);
        assertEquals(0.025, opt.rateAt(1), 1e-15);
        assertEquals(0.1, opt.rateAt(4), 1e-15);
        assertEquals(0.1, opt.rateAt(100), 1e-15);
        INDArray w = Nd4j.createFromArray(1.0, -2.0);
        INDArray bias = Nd4j.createFromArray(1.0, -2.0);
        double[] g1 = {0.5, -0.25};
        double[] g2 = {-1.0, 0.5};
        double[] m = new double[2];
        double[] v = new double[2];
        double[] wantW = {1.0, -2.0};
        double[] wantB = {1.0, -2.0};
        double[][] gs = {g1, g2};
        for (int t = 1; t <= 2; t++) {
            double[] g = gs[t - 1];
            opt.apply(Map.of("w_0_query_weight", w, "w_0_query_bias", bias),
                    Map.of("w_0_query_weight", Nd4j.createFromArray(g), "w_0_query_bias", Nd4j.createFromArray(g)));
            double lr = 0.1 * t / 4;
            for (int i = 0; i < 2; i++) {
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                double adam = m[i] / (1 - Math.pow(0.9, t)) / (Math.sqrt(v[i] / (1 - Math.pow(0.999, t))) + 1e-8);
                wantW[i] -= lr * (adam + 0.01 * wantW[i]);
                wantB[i] -= lr * adam;
            }
            assertArrayEquals(wantW, w.toDoubleVector(), 1e-12, "weights after step " + t);
            assertArrayEquals(wantB, bias.toDoubleVector(), 1e-12, "bias (no decay) after step " + t);
        }
        assertEquals(2, opt.step());
    }

    @Test
    void restoredStateContinuesExactly() {
        AdamW a = new AdamW(0.01, 0.1, 0);
        INDArray wa = Nd4j.createFromArray(0.3, 0.7);
        Map<String, INDArray> g = Map.of("w", Nd4j.createFromArray(0.2, -0.1));
        a.apply(Map.of("w", wa), g);
        AdamW b = new AdamW(0.01, 0.1, 0);
        b.restore(a.state(), a.step());
        INDArray wb = wa.dup();
        a.apply(Map.of("w", wa), g);
        b.apply(Map.of("w", wb), g);
        assertArrayEquals(wa.toDoubleVector(), wb.toDoubleVector(), 0.0);
    }

    @Test
    void refusesNonsenseSettings() {
        assertThrows(IllegalArgumentException.class, () -> new AdamW(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(1e-3, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(1e-3, 0, -5));
    }
}
