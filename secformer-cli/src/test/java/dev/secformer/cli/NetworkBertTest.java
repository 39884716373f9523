package dev.secformer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secformer.core.FixedPoint;
import dev.secformer.core.Prg;
import dev.secformer.core.RingTensor;
import dev.secformer.core.TwoPartyRuntime;
import dev.secformer.net.DealerServer;
import dev.secformer.net.Endpoint;
import dev.secformer.net.InferenceClient;
import dev.secformer.net.KeyGen;
import dev.secformer.net.NetLimits;
import dev.secformer.net.PartyServer;
import dev.secformer.net.Tls;
import dev.secformer.nn.ReferenceBert;
import dev.secformer.nn.secure.BertShares;
import dev.secformer.nn.secure.ClientShares;
import dev.secformer.nn.secure.InProcessBert;
import dev.secformer.nn.secure.LoadedBert;
import dev.secformer.nn.secure.ModelOwner;
import dev.secformer.nn.secure.ProtocolSuites;
import dev.secformer.nn.secure.ShareFile;
import dev.secformer.nn.secure.SyntheticBert;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secure BERT over Netty with mutual TLS on loopback (dealer, two parties, client in one JVM) gives
 * the in-process simulator's result and costs the same protocol bytes and rounds.
 */
class NetworkBertTest {
    private static final SyntheticBert MODEL = new SyntheticBert(64, 4, 2, 128, 100, 32, 2, 7);

    @TempDir
    Path dir;

    @Test
    void networkInferenceEqualsTheSimulatorAndTheReference() throws Exception {
        KeyGen.generate(dir.resolve("tls"), List.of("127.0.0.1"), List.of("default"), Duration.ofDays(1));
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

        NetLimits limits = NetLimits.defaults().withTimeout(Duration.ofSeconds(30));
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        try (Endpoint de = endpoint("dealer", limits); Endpoint e0 = endpoint("party0", limits);
             Endpoint e1 = endpoint("party1", limits); Endpoint ec = endpoint("client-default", limits);
             DealerServer dealer = new DealerServer(de, any);
             PartyServer<LoadedBert> p1 = new PartyServer<>(new PartyServer.Config(1, any, null, dealer.address(), 4,
                     FixedPoint.standard()), e1, service(1)).start(Duration.ZERO);
             PartyServer<LoadedBert> p0 = new PartyServer<>(new PartyServer.Config(0, any, p1.address(), dealer.address(), 4,
                     FixedPoint.standard()), e0, service(0)).start(Duration.ofSeconds(10))) {
            InferenceClient client = new InferenceClient(ec, p0.address(), p1.address());
            InferenceClient.Answer a = client.infer(BertService.inputs(shares, 0), BertService.inputs(shares, 1));
            double[] net = ClientShares.reveal(a.outputs0().get("hidden"), a.outputs1().get("hidden"), FixedPoint.standard());

            double[] plain = new ReferenceBert(MODEL, ReferenceBert.Attention.SOFTMAX, ReferenceBert::exactGelu, 1e-12)
                    .forward(tok, types, valid);
            try (InProcessBert sim = new InProcessBert(MODEL, ProtocolSuites.accurate(), new TwoPartyRuntime())) {
                InProcessBert.Inference r = sim.infer(tok, types, valid);
                assertTrue(maxDiff(net, r.hidden(), valid) <= 0.05, "network vs simulator: " + maxDiff(net, r.hidden(), valid));
                assertTrue(maxDiff(net, plain, valid) <= 0.1, "network vs plaintext: " + maxDiff(net, plain, valid));
                assertEquals(r.cost().total().onlineBytes(), a.cost0().getBytesSent() + a.cost1().getBytesSent(),
                        "the same protocol bytes over the network as in memory");
                assertEquals(r.cost().total().rounds(), Math.max(a.cost0().getRounds(), a.cost1().getRounds()));
                assertEquals(r.dealerBytes(), a.cost1().getDealerBytes(), "the same corrections from the dealer");
            }
            // Wrong shapes: a clear error from the parties, and they go on serving.
            Map<String, RingTensor> bad0 = BertService.inputs(shares, 0);
            Map<String, RingTensor> bad1 = BertService.inputs(shares, 1);
            bad0.put("word", RingTensor.zeros(12, 99));
            bad1.put("word", RingTensor.zeros(12, 99));
            InferenceClient.InferenceException e = assertThrows(InferenceClient.InferenceException.class,
                    () -> client.infer(bad0, bad1));
            assertTrue(e.getMessage().contains("\"word\" must have shape [12, 100]"), e.getMessage());
            client.infer(BertService.inputs(shares, 0), BertService.inputs(shares, 1));
        }
    }

    private PartyServer.Service<LoadedBert> service(int id) throws IOException {
        ShareFile.Share s = ShareFile.read(dir.resolve("party" + id + ".share"));
        assertEquals(id, s.party());
        return new BertService(s.shares(), ProtocolSuites.accurate());
    }

    private Endpoint endpoint(String name, NetLimits limits) {
        return new Endpoint(name, new Tls(Tls.Files.in(dir.resolve("tls"), name)), limits);
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
