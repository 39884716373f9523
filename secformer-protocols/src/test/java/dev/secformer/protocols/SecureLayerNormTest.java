package dev.secformer.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.secformer.core.CostReport;
import dev.secformer.core.RingTensor;
import dev.secformer.core.Truncation;
import dev.secformer.core.TwoPartyException;

/** SecFormer's LayerNorm against the plaintext LayerNorm of the same fixed-point inputs, and its cost. */
class SecureLayerNormTest {
    private final SecureLayerNorm norm = new SecureLayerNorm();

    private static Mpc.Run run(LayerNormProtocol ln, LayerNormCase c) {
        return Mpc.run(c.encoded(), (p, s) -> ln.apply(p, s[0], s[1], s[2]));
    }

    /**
     * The documented error over [0.01, 1e3] (SecureLayerNorm's Javadoc) is 5.2e-4, the largest of 15,000
     * runs of these rows (the error changes from run to run with the truncations: median 1.4e-4); the
     * tolerance is 1.15 times it.
     */
    @Test
    void withinTheDocumentedErrorOnBertLikeRowsOverTheDefaultRange() {
        Random rnd = new Random(21);
        for (int d : new int[] {384, 768}) {
            LayerNormCase c = LayerNormCase.withVariances(rnd, d, LayerNormCase.logUniform(rnd, 24, 0.01, 1000));
            double worst = c.worstRelativeError(run(norm, c).output());
            assertTrue(worst <= 6e-4, "d = " + d + ": relative error " + worst + " (documented: 5.2e-4)");
        }
    }

    /**
     * Documented, the largest of 4,000 runs each: [1e-3, 100] 6.1e-4, [0.1, 1e4] 4.0e-4; the tolerances
     * (third column) are 1.15 and 1.17 times them.
     */
    @Test
    void otherRangesCoverSmallerAndLargerVariances() {
        Random rnd = new Random(22);
        double[][] ranges = {{1e-3, 100, 7e-4}, {0.1, 1e4, 4.7e-4}};
        for (double[] range : ranges) {
            SecureLayerNorm ln = new SecureLayerNorm(range[0], range[1], SecureLayerNorm.BERT_EPSILON);
            LayerNormCase c = LayerNormCase.withVariances(rnd, 768, LayerNormCase.logUniform(rnd, 12, range[0], range[1]));
            double worst = c.worstRelativeError(run(ln, c).output());
            assertTrue(worst <= range[2], "range [" + range[0] + ", " + range[1] + "]: relative error " + worst);
        }
    }

    @Test
    void aConstantRowGivesExactlyBeta() {
        Random rnd = new Random(23);
        LayerNormCase c = LayerNormCase.withVariances(rnd, 64, new double[] {1, 1});
        for (int j = 0; j < 64; j++) {
            c.x[64 + j] = 2.5;
        }
        Mpc.Run r = run(norm, c);
        long[] raw = r.raw().data();
        long[] beta = Mpc.FP.encode(c.beta, 64).data();
        for (int j = 0; j < 64; j++) {
            assertEquals(beta[j], raw[64 + j], "constant row, column " + j);
        }
        double[] z = c.normalised();
        for (int j = 0; j < 64; j++) {
            double want = Mpc.quantized(c.gamma[j]) * z[j] + Mpc.quantized(c.beta[j]);
            assertEquals(want, r.output()[j], 2e-3 * (1 + Math.abs(want)), "ordinary row, column " + j);
        }
    }

    @Test
    void costMatchesTheFormula() {
        int rows = 16;
        int d = 384;
        LayerNormCase c = LayerNormCase.withVariances(new Random(24), d, LayerNormCase.logUniform(new Random(25), rows, 0.01, 1000));
        CostReport.Entry e = run(norm, c).cost().forLabel("layernorm");
        InverseSqrt inv = norm.inverseSqrt();
        assertEquals(6, e.rounds());
        assertEquals(inv.rounds() + 3, e.rounds());
        assertEquals(norm.rounds(), e.rounds());
        long n = (long) rows * d;
        long comparisons = (long) rows * inv.comparisonsPerElement();
        // per row: the comparisons with one opened u, the last products' openings of hi and r 32
        long invBytes = new DigitComparison().onlineBytes(comparisons, inv.comparisonsPerElement(), inv.comparisonsPerElement());
        // squares (fused truncation) 16 n, gamma product 16 (n + d), last products (gamma c truncated on the way in,
        // opened once) 16 n, the two truncations of the partial products 32 n
        assertEquals(16 * n + 16 * (n + d) + invBytes + 16 * n + 32L * rows + 32 * n, e.onlineBytes());
        // squares 32 n, gamma product 8 n, last products 16 n (gamma c's truncation) + 2 x 32 n (cross terms with the
        // truncated hi and r), partial products 32 n; per row the parts of hi and r (32); the comparisons, whose u is the raw sum S (at 2 (f - s) bits) over
        // 2^tau (tau = 3 for the lower bound d 0.01 kappa^2 = 8.64) truncated to 16 bits on the way in
        int uShift = 2 * (16 - norm.prescale(d, 16)) + 3 - 16;
        assertEquals((32 + 8 + 16 + 64 + 32) * n + 32L * rows
                + DigitComparison.dealerBytes(comparisons, 32, inv.comparisonsPerElement(), uShift, inv.comparisonsPerElement()), e.dealerBytes());
    }

    /** An input straight from a product (2f bits) is truncated on the way in: same accuracy, no round more. */
    @Test
    void untruncatedInputCostsNoExtraRound() {
        LayerNormCase c = LayerNormCase.withVariances(new Random(27), 768, LayerNormCase.logUniform(new Random(28), 16, 0.01, 1000));
        RingTensor raw = Mpc.FP.encode(c.x, 16, 768).mulScalar(Mpc.FP.one());
        Mpc.Run r = Mpc.run(new RingTensor[] {raw, Mpc.FP.encode(c.gamma, 768), Mpc.FP.encode(c.beta, 768)},
                (p, s) -> norm.applyUntruncated(p, s[0], Mpc.FP.fractionBits(), s[1], s[2]));
        double worst = c.worstRelativeError(r.output());
        assertTrue(worst <= 6e-4, "relative error " + worst + " (documented: 5.2e-4)");
        CostReport.Entry e = r.cost().forLabel("layernorm");
        assertEquals(norm.rounds(), e.rounds());
        CostReport.Entry truncatedFirst = Mpc.run(new RingTensor[] {raw, Mpc.FP.encode(c.gamma, 768), Mpc.FP.encode(c.beta, 768)},
                (p, s) -> norm.apply(p, Truncation.truncate(p, s[0], Mpc.FP.fractionBits()), s[1], s[2])).cost().total();
        long n = 16L * 768;
        assertEquals(truncatedFirst.rounds() - 1, e.rounds());
        assertEquals(truncatedFirst.onlineBytes() - 16L * 768, e.onlineBytes());
        assertEquals(truncatedFirst.dealerBytes() + 8 * n, r.cost().total().dealerBytes());
    }

    /**
     * A row whose variance is 8 times the range's top is normalised as if its variance were the top
     * (within one segment of 1/sqrt, 2^(1/64)): its output is sqrt(8) times too large, bounded,
     * while the other rows stay exact.
     */
    @Test
    void aRowAboveTheVarianceRangeSaturates() {
        LayerNormCase c = LayerNormCase.withVariances(new Random(29), 384, new double[] {1, 8000});
        Mpc.Run r = run(norm, c);
        double[] z = c.normalised();
        double factor = Math.sqrt(8000 / SecureLayerNorm.DEFAULT_MAX_VARIANCE);
        for (int j = 0; j < 384; j++) {
            double g = Mpc.quantized(c.gamma[j]);
            double b = Mpc.quantized(c.beta[j]);
            assertEquals(g * z[j] + b, r.output()[j], 1e-3 * (Math.abs(g) + Math.abs(g * z[j])) + 1e-4, "row 0, column " + j);
            double held = g * z[384 + j] * factor;
            assertEquals(held + b, r.output()[384 + j], 0.011 * Math.abs(held) + 1e-3, "row 1, column " + j);
        }
    }

    @Test
    void checkModeReportsARowBelowTheVarianceRange() {
        LayerNormCase c = LayerNormCase.withVariances(new Random(26), 128, new double[] {1, 1e-4});
        Mpc.withRangeCheck(() -> {
            TwoPartyException e = assertThrows(TwoPartyException.class, () -> run(norm, c));
            String msg = e.getCause().getMessage();
            assertTrue(msg.contains("SecureLayerNorm") && msg.contains("element 1") && msg.contains("variance"), msg);
        });
    }

    @Test
    void rejectsMismatchedWeights() {
        TwoPartyException e = assertThrows(TwoPartyException.class, () -> Mpc.run(new dev.secformer.core.RingTensor[] {
            Mpc.FP.encode(new double[6], 2, 3), Mpc.FP.encode(new double[2], 2), Mpc.FP.encode(new double[3], 3)},
                (p, s) -> norm.apply(p, s[0], s[1], s[2])));
        assertTrue(e.getCause().getMessage().contains("gamma"), e.getCause().getMessage());
    }
}
