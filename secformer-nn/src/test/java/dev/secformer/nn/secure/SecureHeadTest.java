package dev.secformer.nn.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secformer.core.TwoPartyRuntime;
import dev.secformer.nn.BertConfig;
import dev.secformer.nn.BertWeights;
import dev.secformer.nn.ReferenceBert;
import dev.secformer.protocols.SecureGelu;
import dev.secformer.protocols.SecureTanh;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Pooler (tanh) and classifier on the secure encoder, against the reference with the same approximations. */
public class SecureHeadTest {
    public static BertWeights withHead(PlainBertWeights w, int labels) {
        Map<String, float[]> t = new HashMap<>();
        t.put("embeddings.word", w.wordEmbeddings());
        t.put("embeddings.position", w.positionEmbeddings());
        t.put("embeddings.token_type", w.tokenTypeEmbeddings());
        t.put("embeddings.ln.gamma", w.embeddingLnGamma());
        t.put("embeddings.ln.beta", w.embeddingLnBeta());
        for (int l = 0; l < w.layers(); l++) {
            t.put(l + ".query.weight", w.query(l));
            t.put(l + ".query.bias", w.queryBias(l));
            t.put(l + ".key.weight", w.key(l));
            t.put(l + ".key.bias", w.keyBias(l));
            t.put(l + ".value.weight", w.value(l));
            t.put(l + ".value.bias", w.valueBias(l));
            t.put(l + ".attention_output.weight", w.attentionOutput(l));
            t.put(l + ".attention_output.bias", w.attentionOutputBias(l));
            t.put(l + ".attention_ln.gamma", w.attentionLnGamma(l));
            t.put(l + ".attention_ln.beta", w.attentionLnBeta(l));
            t.put(l + ".ffn_in.weight", w.ffnIn(l));
            t.put(l + ".ffn_in.bias", w.ffnInBias(l));
            t.put(l + ".ffn_out.weight", w.ffnOut(l));
            t.put(l + ".ffn_out.bias", w.ffnOutBias(l));
            t.put(l + ".output_ln.gamma", w.outputLnGamma(l));
            t.put(l + ".output_ln.beta", w.outputLnBeta(l));
        }
        SplittableRandom r = new SplittableRandom(9);
        int h = w.hidden();
        t.put("pooler.weight", random(r, h * h, 0.15));
        t.put("pooler.bias", random(r, h, 0.1));
        t.put("classifier.weight", random(r, h * labels, 0.3));
        t.put("classifier.bias", random(r, labels, 0.1));
        return new BertWeights(new BertConfig(h, w.layers(), w.heads(), w.intermediate(), w.vocabSize(), w.maxPositions(),
                w.typeVocabSize(), 1e-12), t, "test");
    }

    private static float[] random(SplittableRandom r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }

    @Test
    void logitsMatchTheReference() {
        BertWeights w = withHead(new SharpAttention(new SyntheticBert(64, 4, 2, 128, 100, 32, 2, 7), 9, 20), 3);
        int[][] ids = {{1, 5, 9, 33, 2, 0}, {1, 7, 2, 0, 0, 0}};
        int[][] types = new int[2][6];
        boolean[][] valid = {{true, true, true, true, true, false}, {true, true, true, false, false, false}};
        SecureGelu gelu = new SecureGelu();
        ReferenceBert ref = new ReferenceBert(w, ReferenceBert.Attention.SOFTMAX, gelu::reference, 1e-12);
        double[] want = ref.head(ref.forward(ids, types, valid), 2, 6, new SecureTanh()::reference);
        double[] exactTanh = ref.head(ref.forward(ids, types, valid), 2, 6, Math::tanh);
        try (InProcessBert bert = new InProcessBert(w, ProtocolSuites.accurate(), new TwoPartyRuntime())) {
            BertInference r = bert.infer(ids, types, valid);
            assertEquals(6, r.head().length, "2 sequences x 3 labels");
            double diff = 0;
            double spread = 0;
            for (int i = 0; i < want.length; i++) {
                diff = Math.max(diff, Math.abs(want[i] - r.head()[i]));
                spread = Math.max(spread, Math.abs(exactTanh[i] - want[i]));
            }
            assertTrue(diff <= 0.05, "max |secure - reference| on logits = " + diff);
            assertTrue(r.cost().report().forLabel("tanh").rounds() > 0);
            assertTrue(spread < 0.05, "the tanh approximation itself moves the logits by " + spread);
        }
    }
}
