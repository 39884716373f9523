package dev.secformer.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.secformer.core.CostReport;
import dev.secformer.core.TwoPartyException;

class CryptenLayerNormTest {
    private final CryptenLayerNorm norm = new CryptenLayerNorm();

    private static Mpc.Run run(LayerNormProtocol ln, LayerNormCase c) {
        return Mpc.run(c.encoded(), (p, s) -> ln.apply(p, s[0], s[1], s[2]));
    }

    @Test
    void accuracyOverItsDomain() {
        Random rnd = new Random(31);
        for (int d : new int[] {384, 768}) {
            LayerNormCase c = LayerNormCase.withVariances(rnd, d, LayerNormCase.logUniform(rnd, 24, 0.2, 150));
            double worst = c.worstRelativeError(run(norm, c).output());
            assertTrue(worst <= 4e-3, "d = " + d + ": relative error " + worst);
        }
    }

    @Test
    void aConstantRowGivesBeta() {
        LayerNormCase c = LayerNormCase.withVariances(new Random(32), 32, new double[] {1, 1});
        for (int j = 0; j < 32; j++) {
            c.x[32 + j] = -1.25;
        }
        Mpc.Run r = run(norm, c);
        long[] beta = Mpc.FP.encode(c.beta, 32).data();
        for (int j = 0; j < 32; j++) {
            assertEquals(beta[j], r.raw().data()[32 + j], "constant row, column " + j);
        }
    }

    @Test
    void costMatchesTheFormula() {
        int rows = 8;
        int d = 384;
        LayerNormCase c = LayerNormCase.withVariances(new Random(33), d, LayerNormCase.logUniform(new Random(34), rows, 0.5, 50));
        CostReport.Entry e = run(norm, c).cost().forLabel("crypten-layernorm");
        assertEquals(54, e.rounds());
        assertEquals(norm.rounds(), e.rounds());
        long n = (long) rows * d;
        // per element: squares 16, gamma product 16, truncation of gamma c 16, last product 16 and its truncation 16;
        // per row: the mean's and the variance's truncations, inv_sqrt 384, sd's product 32 and truncation 16,
        // the reciprocal 784, the last product's per-row opening 16
        assertEquals(80 * n + 16L * d + rows * (16L + 16 + 384 + 32 + 16 + 784 + 16), e.onlineBytes());
        assertEquals(56 * n + rows * (16L + 16 + 560 + 8 + 16 + 912), e.dealerBytes());
    }

    @Test
    void checkModeReportsAVarianceOutsideTheDomain() {
        LayerNormCase c = LayerNormCase.withVariances(new Random(35), 64, new double[] {1, 0.01});
        Mpc.withRangeCheck(() -> {
            TwoPartyException e = assertThrows(TwoPartyException.class, () -> run(norm, c));
            String msg = e.getCause().getMessage();
            assertTrue(msg.contains("CryptenLayerNorm") && msg.contains("row variance element 1"), msg);
        });
    }
}
