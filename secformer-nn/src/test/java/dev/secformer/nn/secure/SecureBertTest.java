package dev.secformer.nn.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secformer.core.TwoPartyRuntime;
import dev.secformer.nn.ReferenceBert;
import dev.secformer.protocols.SecureGelu;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The secure encoder against the double-precision reference with the same approximations. */
class SecureBertTest {
    private static final SyntheticBert BASE = new SyntheticBert(64, 4, 2, 128, 100, 32, 2, 7);
    /**
     * Weights well above BERT's initial scale: peaked attention (scores of a few units, within the
     * 2Quad range a distilled model keeps) and GeLU inputs of several units.
     */
    private static final PlainBertWeights SMALL = new SharpAttention(BASE, 9, 20);

    private static int[][] ids(int batch, int seq, int vocab, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] t = new int[batch][seq];
        for (int[] row : t) {
            for (int i = 0; i < seq; i++) {
                row[i] = r.nextInt(vocab);
            }
        }
        return t;
    }

    private static double maxDiff(double[] a, double[] b, boolean[][] valid, int hidden) {
        double m = 0;
        int seq = valid[0].length;
        for (int i = 0; i < a.length; i++) {
            int row = i / hidden;
            if (valid[row / seq][row % seq]) {
                m = Math.max(m, Math.abs(a[i] - b[i]));
            }
        }
        return m;
    }

    private static void check(ProtocolSuite suite, ReferenceBert.Attention attention) {
        int batch = 2;
        int seq = 12;
        int[][] tok = ids(batch, seq, SMALL.vocabSize(), 3);
        int[][] types = new int[batch][seq];
        types[1][8] = 1;
        boolean[][] valid = new boolean[batch][seq];
        for (int i = 0; i < seq; i++) {
            valid[0][i] = true;
            valid[1][i] = i < 9; // the second sequence has 3 padding tokens
        }
        SecureGelu gelu = new SecureGelu();
        double[] want = new ReferenceBert(SMALL, attention, gelu::reference, 1e-12).forward(tok, types, valid);
        try (InProcessBert bert = new InProcessBert(SMALL, suite, new TwoPartyRuntime())) {
            BertInference r = bert.infer(tok, types, valid);
            double diff = maxDiff(want, r.hidden(), valid, SMALL.hidden());
            assertTrue(diff <= 0.05, suite.name() + ": max |secure - reference| = " + diff);
            assertTrue(r.cost().report().forLabel("GeLU").onlineBytes() > 0 && r.cost().report().forLabel("softmax").rounds() > 0);
            assertEquals(0, r.cost().report().forLabel("load").onlineBytes(), "weights are opened at load time only");
            assertTrue(bert.loadCost().forLabel("load").onlineBytes() > 0);
            BertInference again = bert.infer(tok, types, valid);
            assertEquals(r.cost().total().onlineBytes(), again.cost().total().onlineBytes(), "a second inference costs the same");
            assertTrue(maxDiff(want, again.hidden(), valid, SMALL.hidden()) <= 0.05);
        }
    }

    /** In check mode, an input outside its protocol's range is reported with the layer it happened in. */
    @Test
    void checkModeNamesTheLayer() {
        ProtocolSuite narrow = new ProtocolSuite("narrow", new SecureGelu(), new dev.secformer.protocols.TwoQuadSoftmax(),
                ProtocolSuites.secformer().embeddingLayerNorm(), new dev.secformer.protocols.SecureLayerNorm(1e-6, 2e-6, 1e-12));
        boolean[][] valid = {{true, true, true, true}};
        dev.secformer.protocols.RangeCheck.setEnabled(true);
        try (InProcessBert bert = new InProcessBert(SMALL, narrow, new TwoPartyRuntime())) {
            Exception e = assertThrows(Exception.class, () -> bert.infer(ids(1, 4, SMALL.vocabSize(), 5), new int[1][4], valid));
            String msg = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            assertTrue(msg.startsWith("encoder layer 0: SecureLayerNorm"), msg);
        } finally {
            dev.secformer.protocols.RangeCheck.setEnabled(false);
        }
    }

    @Test
    void secformerModeMatchesTheReferenceWith2Quad() {
        check(ProtocolSuites.secformer(), ReferenceBert.Attention.TWO_QUAD);
    }

    @Test
    void accurateModeMatchesTheReferenceWithSoftmax() {
        check(ProtocolSuites.accurate(), ReferenceBert.Attention.SOFTMAX);
    }

    @Test
    void theReferenceTellsTheAttentionKindsApart() {
        int[][] tok = ids(1, 12, SMALL.vocabSize(), 3);
        boolean[][] valid = {new boolean[12]};
        java.util.Arrays.fill(valid[0], true);
        SecureGelu gelu = new SecureGelu();
        double[] soft = new ReferenceBert(SMALL, ReferenceBert.Attention.SOFTMAX, gelu::reference, 1e-12).forward(tok, new int[1][12], valid);
        double[] quad = new ReferenceBert(SMALL, ReferenceBert.Attention.TWO_QUAD, gelu::reference, 1e-12).forward(tok, new int[1][12], valid);
        assertTrue(maxDiff(soft, quad, valid, SMALL.hidden()) > 0.5, "the test model must make softmax and 2Quad differ");
    }

    @Test
    void badInputIsRejectedWithAClearMessage() {
        try (InProcessBert bert = new InProcessBert(SMALL, ProtocolSuites.secformer(), new TwoPartyRuntime())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> bert.infer(new int[][] {{1, 100}}, new int[][] {{0, 0}}, new boolean[][] {{true, true}}));
            assertTrue(e.getMessage().contains("token id 100"), e.getMessage());
            boolean[][] all = {new boolean[40]};
            java.util.Arrays.fill(all[0], true);
            Exception tooLong = assertThrows(Exception.class, () -> bert.infer(new int[1][40], new int[1][40], all));
            assertTrue(String.valueOf(tooLong.getMessage()).contains("exceeds the model's maximum 32"), tooLong.getMessage());
            IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                    () -> bert.infer(new int[2][4], new int[2][4], new boolean[][] {{true, true, false, false}, new boolean[4]}));
            assertTrue(empty.getMessage().contains("sequence 1 has no valid token"), empty.getMessage());
        }
    }
}
