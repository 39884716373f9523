package dev.secformer.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secformer.core.FixedPoint;
import dev.secformer.core.RingTensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The protocols with the local truncation (`FixedPoint.withExactTruncation(false)`, what the harness
 * measures with --truncation local): the same accuracy as with the exact one, and their rounds
 * (values the local truncation would often get wrong, near 2^50-2^60, stay exact there).
 */
class LocalTruncationTest {
    private static final FixedPoint LOCAL = Mpc.FP.withExactTruncation(false);

    @Test
    void geluKeepsItsAccuracyInThreeRounds() {
        double[] x = Mpc.linspace(-8, 8, 4001);
        Mpc.Run r = Mpc.run(LOCAL, new RingTensor[] {Mpc.FP.encode(x, x.length)}, (p, s) -> new SecureGelu().apply(p, s[0]));
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(r.output()[i] - SecureGeluTest.exactGelu(Mpc.quantized(x[i]))));
        }
        assertTrue(worst <= 2e-3, "max |error| " + worst);
        assertEquals(3, r.cost().total().rounds());
    }

    @Test
    void layerNormFromAResidualSumInSixRounds() {
        SecureLayerNorm norm = new SecureLayerNorm();
        LayerNormCase c = LayerNormCase.withVariances(new Random(41), 768, LayerNormCase.logUniform(new Random(42), 16, 0.01, 1000));
        RingTensor raw = Mpc.FP.encode(c.x, 16, 768).mulScalar(Mpc.FP.one());
        Mpc.Run r = Mpc.run(LOCAL, new RingTensor[] {raw, Mpc.FP.encode(c.gamma, 768), Mpc.FP.encode(c.beta, 768)},
                (p, s) -> norm.applyUntruncated(p, s[0], Mpc.FP.fractionBits(), s[1], s[2]));
        assertTrue(c.worstRelativeError(r.output()) <= 9e-4, "relative error " + c.worstRelativeError(r.output()));
        // the comparisons' 3, the products before and after them, and the exact truncations of the last products
        // (values up to 2^60), which the local truncation would get wrong in one run in three
        assertEquals(6, r.cost().forLabel("layernorm").rounds());
    }

    @Test
    void twoQuadFromUntruncatedScoresInSixRounds() {
        TwoQuadSoftmax quad = new TwoQuadSoftmax();
        int rows = 4;
        int cols = 64;
        double[] s = new double[rows * cols];
        Random rnd = new Random(43);
        for (int i = 0; i < s.length; i++) {
            s[i] = -3 + 9 * rnd.nextDouble();
        }
        RingTensor mask = RingTensor.filled(1, rows, cols);
        RingTensor raw = Mpc.FP.encode(s, rows, cols).mulScalar(Mpc.FP.one());
        Mpc.Run r = Mpc.run(LOCAL, new RingTensor[] {raw}, (p, x) -> quad.applyUntruncated(p, x[0], Mpc.FP.fractionBits(), mask));
        for (int row = 0; row < rows; row++) {
            double den = 0;
            for (int j = 0; j < cols; j++) {
                double t = Mpc.quantized(s[row * cols + j]) + 5;
                den += t * t;
            }
            for (int j = 0; j < cols; j++) {
                double t = Mpc.quantized(s[row * cols + j]) + 5;
                double want = t * t / den;
                assertEquals(want, r.output()[row * cols + j], 2e-4 * want + Math.scalb(1.0, -15));
            }
        }
        // the square, the reciprocal's comparisons and the product with its truncation, which stay exact (values up to 2^60)
        assertEquals(6, r.cost().forLabel("2quad").rounds());
    }
}
