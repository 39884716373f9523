package dev.secformer.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secformer.core.TwoPartyRuntime;
import dev.secformer.nn.secure.BertInference;
import dev.secformer.nn.secure.InProcessBert;
import dev.secformer.nn.secure.ProtocolSuites;
import dev.secformer.nn.text.WordPieceTokenizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Secure inference of the real all-MiniLM-L6-v2 in accurate mode against ONNX Runtime. */
class SecureMiniLmTest {
    @Test
    void accurateModeEmbeddingsMatchOnnxRuntime() throws Exception {
        BertWeights w = DefaultModel.weights();
        WordPieceTokenizer tok = DefaultModel.tokenizer();
        List<WordPieceTokenizer.Encoding> batch = new ArrayList<>();
        for (String s : MiniLmOracle.SENTENCES) {
            batch.add(tok.encode(s, 128));
        }
        batch = tok.padToLongest(batch);
        double[] want = MiniLmOracle.lastHiddenState(batch);
        int b = batch.size();
        int[][] ids = MiniLmOracle.ids(batch);
        int[][] types = MiniLmOracle.typeIds(batch);
        boolean[][] mask = MiniLmOracle.masks(batch);
        try (InProcessBert bert = new InProcessBert(w, ProtocolSuites.accurate(), new TwoPartyRuntime())) {
            BertInference r = bert.infer(ids, types, mask);
            double maxDiff = 0;
            int n = batch.get(0).length();
            for (int i = 0; i < want.length; i++) {
                int row = i / 384;
                if (mask[row / n][row % n]) {
                    maxDiff = Math.max(maxDiff, Math.abs(want[i] - r.hidden()[i]));
                }
            }
            double minCos = 1;
            for (int s = 0; s < b; s++) {
                minCos = Math.min(minCos, SentenceEmbedding.cosine(SentenceEmbedding.meanPool(want, mask[s], s, 384),
                        SentenceEmbedding.meanPool(r.hidden(), mask[s], s, 384)));
            }
            System.out.printf("secure accurate all-MiniLM-L6-v2: min cosine %.6f, max |diff| %.4f, online %d bytes, %d rounds%n",
                    minCos, maxDiff, r.cost().total().onlineBytes(), r.cost().total().rounds());
            assertTrue(minCos >= 0.999, "min cosine " + minCos);
            assertTrue(maxDiff <= 0.05, "max |secure - ONNX Runtime| = " + maxDiff);
        }
    }
}
