package dev.secformer.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.secformer.core.ChannelException;
import dev.secformer.core.CostReport;
import dev.secformer.core.RingTensor;
import dev.secformer.net.proto.Chunk;
import dev.secformer.net.proto.Frame;
import dev.secformer.net.proto.Hello;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The dealer, both parties and clients as servers on loopback with mutual TLS: correct results for
 * concurrent clients, and every failure of the list ends one session with a clear reason
 * while the servers go on serving.
 */
class DeploymentTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Deployment D = start();

    private static Deployment start() {
        try {
            return new Deployment(NetLimits.defaults().withTimeout(TIMEOUT).withMaxMessageBytes(8 << 20)
                    .withMaxClientMessageBytes(CLIENT_LIMIT));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        D.close();
    }

    private static RingTensor input(int seed, int rows) {
        return Deployment.random(new SplittableRandom(seed), rows, Deployment.K);
    }

    private static void stillServes() {
        RingTensor x = input(99, 3);
        assertEquals(x.matmul(D.weight), D.product(x, Map.of()), "the servers go on serving");
    }

    @Test
    void sessionsAfterTheFirstOfAShapeRunOnCorrelationsPreparedAhead() throws Exception {
        int rows = 11; // a shape no other test uses
        RingTensor x0 = input(500, rows);
        InferenceClient.Answer cold = D.answer(x0, Map.of());
        assertEquals(x0.matmul(D.weight), Deployment.product(cold));
        assertFalse(cold.cost().prepared(), "the first session of a shape records its plan");
        assertTrue(D.party0.awaitPrepared(Duration.ofSeconds(10)) && D.party1.awaitPrepared(Duration.ofSeconds(10)));
        int openBefore = D.dealer.openSessions();
        for (int i = 0; i < 3; i++) {
            RingTensor x = input(501 + i, rows);
            InferenceClient.Answer warm = D.answer(x, Map.of());
            assertEquals(x.matmul(D.weight), Deployment.product(warm), "prepared session " + i);
            assertTrue(warm.cost().prepared(), "prepared session " + i);
            CostReport.Entry w = warm.cost().total();
            CostReport.Entry c = cold.cost().total();
            assertEquals(c.onlineBytes(), w.onlineBytes());
            assertEquals(c.rounds(), w.rounds());
            assertEquals(c.dealerBytes(), w.dealerBytes(), "the same corrections, streamed ahead");
            assertTrue(warm.cost().offlineSeconds() > 0 && w.offlineNanos() > 0);
        }
        assertEquals(openBefore, D.dealer.openSessions(), "prepared sessions open no dealer session");
    }

    @Test
    void concurrentClientsGetTheirOwnCorrectResults() throws Exception {
        int clients = 8;
        int each = 4;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int id = c;
            all.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < each; i++) {
                    RingTensor x = input(100 * id + i, 1 + id);
                    assertEquals(x.matmul(D.weight), D.product(x, Map.of()), "client " + id + ", inference " + i);
                }
            }, pool));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        System.out.printf("%d clients x %d inferences over TLS on loopback: %.1f inferences/s%n", clients, each,
                clients * each / seconds);
        // Party 1 closes its dealer connection after answering the client, so the dealer learns of
        // the end a moment after the client does.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (D.dealer.openSessions() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, D.dealer.openSessions(), "the dealer forgets finished sessions");
    }

    @Test
    void inputOfTheWrongShapeIsRefusedWithAClearError() {
        RingTensor bad = Deployment.random(new SplittableRandom(1), 2, Deployment.K + 1);
        InferenceClient.InferenceException e = assertThrows(InferenceClient.InferenceException.class,
                () -> D.product(bad, Map.of()));
        assertTrue(e.getMessage().contains("bad input: expected an input \"x\" of shape [rows, 6]"), e.getMessage());
        stillServes();
    }

    @Test
    void aStalledPartyEndsTheSessionWithinTheTimeoutAndLeaksNothing() {
        int threadsBefore = Thread.activeCount();
        for (int i = 0; i < 5; i++) {
            RingTensor x = input(i, 2);
            long start = System.nanoTime();
            InferenceClient.InferenceException e = assertTimeoutPreemptively(Duration.ofSeconds(15),
                    () -> assertThrows(InferenceClient.InferenceException.class,
                            () -> D.product(x, Map.of("stall", RingTensor.zeros(1)))));
            assertTrue(e.getMessage().contains("within"), e.getMessage());
            assertTrue(System.nanoTime() - start < TIMEOUT.toNanos() * 4, "aborted within the timeout");
        }
        stillServes();
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            while (D.party0.runningSessions() + D.party1.runningSessions() > 0) {
                Thread.sleep(100); // party 1's stalled sessions end when their sleep does
            }
        });
        assertTrue(Thread.activeCount() <= threadsBefore + 20, "threads: " + threadsBefore + " -> " + Thread.activeCount());
    }

    @Test
    void aClientThatPartyZeroRefusesIsToldAtOnce() throws Exception {
        Duration timeout = Duration.ofSeconds(30);
        try (Deployment one = new Deployment(NetLimits.defaults().withTimeout(timeout), 1)) {
            CompletableFuture<RingTensor> stalled = CompletableFuture.supplyAsync(
                    () -> one.product(input(1, 2), Map.of("stall", RingTensor.zeros(1))));
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                while (one.party0.runningSessions() == 0) {
                    Thread.sleep(10);
                }
            });
            long start = System.nanoTime();
            InferenceClient.InferenceException e = assertThrows(InferenceClient.InferenceException.class,
                    () -> one.product(input(2, 2), Map.of()));
            double waited = (System.nanoTime() - start) / 1e9;
            assertTrue(e.getMessage().contains("party 0 is busy"), e.getMessage());
            assertTrue(waited < timeout.toSeconds() / 3.0, "told after " + waited + " s, not after party 1's timeout");
            RingTensor x = input(1, 2);
            assertEquals(x.matmul(one.weight), stalled.get(), "the session that was running finishes");
        }
    }

    @Test
    void aPartyThatBreaksDownMidProtocolFailsTheSessionForBoth() {
        InferenceClient.InferenceException e = assertThrows(InferenceClient.InferenceException.class,
                () -> D.product(input(5, 2), Map.of("fail", RingTensor.zeros(1))));
        assertTrue(e.getMessage().contains("party 1 broke down"), e.getMessage());
        stillServes();
    }

    @Test
    void aPeerWithoutACertificateOfTheDeploymentIsRefusedAtTheHandshake() throws Exception {
        Path other = Files.createTempDirectory("other-pki");
        KeyGen.generate(other, List.of("127.0.0.1"), List.of("mallory"), Duration.ofDays(1));
        try (Endpoint stranger = new Endpoint("stranger", new Tls(Tls.Files.in(other, "client-mallory")),
                NetLimits.defaults().withTimeout(TIMEOUT))) {
            Endpoint.ConnectException e = assertThrows(Endpoint.ConnectException.class, () -> stranger.connect(
                    D.party0.address(), Role.PARTY0, Hello.newBuilder().setPurpose(Hello.Purpose.INFERENCE)
                            .setSessionId(Sessions.newId()).build()));
            assertTrue(e.getMessage().contains("party0"), e.getMessage());
        }
        stillServes();
    }

    @Test
    void aClientMayNotPoseAsPartyZero() {
        FrameConnection c = D.clientEnd.connect(D.party1.address(), Role.PARTY1,
                Hello.newBuilder().setPurpose(Hello.Purpose.PEER).setSessionId(Sessions.newId()).build());
        ChannelException e = assertThrows(ChannelException.class, c::receive);
        assertTrue(e.getMessage().contains("only party 0 may open a PEER connection"), e.getMessage());
        stillServes();
    }

    @Test
    void aSessionThatNobodyJoinsIsClosedAsUnknown() {
        FrameConnection c = D.end0.connect(D.party1.address(), Role.PARTY1, Hello.newBuilder()
                .setPurpose(Hello.Purpose.PEER).setSessionId(Sessions.newId()).build());
        ChannelException e = assertThrows(ChannelException.class, () -> c.receive(TIMEOUT.multipliedBy(3)));
        assertTrue(e.getMessage().contains("unknown session"), e.getMessage());
    }

    @Test
    void halfJoinedSessionsAreBoundedAndExpire() throws Exception {
        int bound = 2 * 16; // twice the parties' max sessions in this deployment
        List<FrameConnection> halves = new ArrayList<>();
        for (int i = 0; i <= bound; i++) { // clients whose party-0 halves never come
            halves.add(D.clientEnd.connect(D.party1.address(), Role.PARTY1,
                    Hello.newBuilder().setPurpose(Hello.Purpose.INFERENCE).setSessionId(Sessions.newId()).build()));
        }
        int busy = 0;
        int expired = 0;
        for (FrameConnection c : halves) { // refused at once, or expired after the timeout
            ChannelException e = assertThrows(ChannelException.class, () -> c.receive(TIMEOUT.multipliedBy(3)));
            busy += e.getMessage().contains("sessions wait for their other half") ? 1 : 0;
            expired += e.getMessage().contains("unknown session") ? 1 : 0;
        }
        assertEquals(halves.size(), busy + expired, "every half is refused as busy or expires");
        assertTrue(busy >= 1 && expired <= bound, busy + " refused, " + expired + " expired");
        stillServes();
    }

    @Test
    void aMessageForTheWrongStepEndsTheSession() {
        FrameConnection c = D.clientEnd.connect(D.party0.address(), Role.PARTY0,
                Hello.newBuilder().setPurpose(Hello.Purpose.INFERENCE).setSessionId(Sessions.newId()).build());
        c.send("something else", new byte[10]);
        ChannelException e = assertThrows(ChannelException.class, c::receive);
        assertTrue(e.getMessage().contains("expected a message \"inputs\""), e.getMessage());
        stillServes();
    }

    @Test
    void malformedAndOversizedFramesCloseTheirConnectionOnly() throws Exception {
        for (ByteBuf raw : new ByteBuf[] {
                Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 5, 1, 2, 3, 4, 5}), // not a protobuf frame
                Unpooled.buffer().writeInt(100 << 20).writeZero(64), // announces a 100 MB frame
                frame(Frame.newBuilder().setChunk(Chunk.newBuilder().setSessionId(Sessions.newId())
                        .setTotal(1L << 40)).build()), // a message above the limit
        }) {
            FrameConnection c = D.clientEnd.connect(D.party0.address(), Role.PARTY0,
                    Hello.newBuilder().setPurpose(Hello.Purpose.INFERENCE).setSessionId(Sessions.newId()).build());
            c.writeRawForTest(raw);
            assertThrows(ChannelException.class, () -> c.receive(TIMEOUT.multipliedBy(3)));
        }
        stillServes();
    }

    @Test
    void aMessageAnnouncedAboveTheLimitEndsItsSessionWhateverTheSignOfItsSize() {
        for (long total : new long[] {1L << 40, 0xFFFF_FFFF_4000_0000L, -1L}) { // uint64 sizes: 2^64 - 3 GiB once passed as 1 GiB
            String reason = refusalOfAnnounced(total);
            assertTrue(reason.contains("message of " + Long.toUnsignedString(total) + " bytes exceeds the limit"), reason);
        }
        stillServes();
    }

    /** Why party 0 ends a client's session whose first chunk announces a message of {@code total} bytes. */
    private static String refusalOfAnnounced(long total) {
        ByteString session = Sessions.newId();
        FrameConnection c = D.clientEnd.connect(D.party0.address(), Role.PARTY0,
                Hello.newBuilder().setPurpose(Hello.Purpose.INFERENCE).setSessionId(session).build());
        c.writeRawForTest(frame(Frame.newBuilder().setChunk(Chunk.newBuilder().setSessionId(session)
                .setTotal(total)).build()));
        return assertThrows(ChannelException.class, () -> c.receive(TIMEOUT.multipliedBy(3))).getMessage();
    }

    /** The deployment's limit on a client's messages, below its limit between parties (8 MiB). */
    private static final long CLIENT_LIMIT = 1 << 20;

    @Test
    void aClientMayNotAnnounceWhatPartiesMaySendEachOther() {
        long total = 2 * CLIENT_LIMIT; // within the 8 MiB the parties accept from each other
        String reason = refusalOfAnnounced(total);
        assertTrue(reason.contains("message of " + total + " bytes exceeds the limit of " + CLIENT_LIMIT + " bytes for a client"),
                reason);
        assertEquals(8 << 20, D.end0.limits().maxMessageBytesFrom(Role.PARTY1));
        stillServes();
    }

    private static ByteBuf frame(Frame f) {
        byte[] b = f.toByteArray();
        return Unpooled.buffer().writeInt(b.length).writeBytes(b);
    }

    @Test
    void sessionIdsAreRandomAndDistinct() {
        ByteString a = Sessions.newId();
        assertEquals(Sessions.ID_BYTES, a.size());
        assertTrue(!a.equals(Sessions.newId()));
    }
}
