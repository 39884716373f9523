package dev.secformer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secformer.core.CostReport;
import dev.secformer.core.FixedPoint;
import dev.secformer.core.Prg;
import dev.secformer.core.RingTensor;
import dev.secformer.core.TwoPartyRuntime;
import dev.secformer.net.InferenceClient;
import dev.secformer.net.NetLimits;
import dev.secformer.nn.ReferenceBert;
import dev.secformer.nn.secure.BertInference;
import dev.secformer.nn.secure.BertShares;
import dev.secformer.nn.secure.ClientShares;
import dev.secformer.nn.secure.InProcessBert;
import dev.secformer.nn.secure.ModelOwner;
import dev.secformer.nn.secure.ProtocolSuites;
import dev.secformer.nn.secure.ShareFile;
import dev.secformer.nn.secure.SyntheticBert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secure BERT over Netty with mutual TLS on loopback (dealer, two parties, client in one JVM, the
 * parties' model shares read back from share files) gives the in-process simulator's result and
 * costs the same protocol bytes, rounds and dealer bytes, in total and per phase.
 */
class NetworkBertTest {
    private static final SyntheticBert MODEL = new SyntheticBert(64, 4, 2, 128, 100, 32, 2, 7);

    @TempDir
    Path dir;

    @Test
    void networkInferenceEqualsTheSimulatorAndTheReference() throws Exception {
        BertShares[] split = ModelOwner.split(MODEL, FixedPoint.standard(), Prg.fresh());
        for (int p = 0; p < 2; p++) {
            ShareFile.write(dir.resolve("party" + p + ".share"), p, split[p]);
        }
        IOException exists = assertThrows(IOException.class, () -> ShareFile.write(dir.resolve("party0.share"), 0, split[0]));
        assertTrue(exists.getMessage().contains("party0.share"), "a share file is never overwritten");

        int[][] tok = {{1, 5, 9, 33, 2, 0}, {1, 7, 2, 0, 0, 0}};
        int[][] types = new int[2][6];
        boolean[][] valid = {{true, true, true, true, true, true}, {true, true, true, false, false, false}};
        ClientShares shares = ClientShares.share(tok, types, valid, MODEL.vocabSize(), MODEL.typeVocabSize(), Prg.fresh());

        ShareFile.Share s0 = ShareFile.read(dir.resolve("party0.share"));
        ShareFile.Share s1 = ShareFile.read(dir.resolve("party1.share"));
        assertEquals(List.of(0, 1), List.of(s0.party(), s1.party()));
        Path certificates;
        try (LoopbackBert net = LoopbackBert.start(s0.shares(), s1.shares(), ProtocolSuites.accurate(),
                NetLimits.defaults().withTimeout(Duration.ofSeconds(30)))) {
            certificates = net.certificateDir();
            BertInference a = net.bert().infer(shares);
            double[] hidden = a.hidden();

            double[] plain = new ReferenceBert(MODEL, ReferenceBert.Attention.SOFTMAX, ReferenceBert::exactGelu, 1e-12)
                    .forward(tok, types, valid);
            try (InProcessBert sim = new InProcessBert(MODEL, ProtocolSuites.accurate(), new TwoPartyRuntime())) {
                BertInference r = sim.infer(tok, types, valid);
                assertTrue(maxDiff(hidden, r.hidden(), valid) <= 0.05, "network vs simulator: " + maxDiff(hidden, r.hidden(), valid));
                assertTrue(maxDiff(hidden, plain, valid) <= 0.1, "network vs plaintext: " + maxDiff(hidden, plain, valid));
                assertEquals(r.cost().total().onlineBytes(), a.cost().total().onlineBytes(),
                        "the same protocol bytes over the network as in memory");
                assertEquals(r.cost().total().rounds(), a.cost().total().rounds());
                assertEquals(r.cost().total().dealerBytes(), a.cost().total().dealerBytes(), "the same corrections from the dealer");
                assertEquals(counts(r.cost().report()), counts(a.cost().report()), "the same cost in every phase");
                assertTrue(r.cost().wire() == null && a.cost().wire().socketBytes() > a.cost().total().onlineBytes(),
                        "the network reports its socket traffic, TLS included");
            }
            // Wrong shapes: a clear error from the parties, and they go on serving.
            Map<String, RingTensor> bad0 = BertService.inputs(shares, 0);
            Map<String, RingTensor> bad1 = BertService.inputs(shares, 1);
            bad0.put(BertService.WORD, RingTensor.zeros(12, 99));
            bad1.put(BertService.WORD, RingTensor.zeros(12, 99));
            InferenceClient.InferenceException e = assertThrows(InferenceClient.InferenceException.class,
                    () -> net.client().infer(bad0, bad1));
            assertTrue(e.getMessage().contains("\"word\" must have shape [12, 2]"), e.getMessage());
            // Ids split for another vocabulary would select wrong rows: refused, not answered.
            Map<String, RingTensor> other0 = BertService.inputs(shares, 0);
            Map<String, RingTensor> other1 = BertService.inputs(shares, 1);
            other0.put(BertService.VOCAB, RingTensor.of(new long[] {99}, 1));
            other1.put(BertService.VOCAB, RingTensor.of(new long[] {99}, 1));
            e = assertThrows(InferenceClient.InferenceException.class, () -> net.client().infer(other0, other1));
            assertTrue(e.getMessage().contains("split for a vocabulary of 99 words; the model has 100"), e.getMessage());
            // A sequence without a valid token would divide its attention rows by an empty sum.
            Map<String, RingTensor> empty0 = BertService.inputs(shares, 0);
            Map<String, RingTensor> empty1 = BertService.inputs(shares, 1);
            empty0.put(BertService.VALID, RingTensor.zeros(2, 6));
            empty1.put(BertService.VALID, RingTensor.zeros(2, 6));
            e = assertThrows(InferenceClient.InferenceException.class, () -> net.client().infer(empty0, empty1));
            assertTrue(e.getMessage().contains("sequence 0 has no valid token"), e.getMessage());
            net.bert().infer(shares);
        }
        assertFalse(Files.exists(certificates), "the development certificates are deleted on close");
    }

    /** Online bytes, rounds and dealer bytes per phase path (the times differ from run to run). */
    private static Map<String, List<Long>> counts(CostReport c) {
        Map<String, List<Long>> out = new TreeMap<>();
        c.byPath().forEach((path, e) -> out.put(path, List.of(e.onlineBytes(), e.rounds(), e.dealerBytes())));
        return out;
    }

    private static double maxDiff(double[] a, double[] b, boolean[][] valid) {
        double m = 0;
        int h = MODEL.hidden();
        int seq = valid[0].length;
        for (int i = 0; i < a.length; i++) {
            int row = i / h;
            if (valid[row / seq][row % seq]) {
                m = Math.max(m, Math.abs(a[i] - b[i]));
            }
        }
        return m;
    }
}
