package dev.secformer.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.secformer.core.Channel;
import dev.secformer.core.ChannelContractTest;
import dev.secformer.net.proto.Hello;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The channel contract over Netty with mutual TLS on loopback, and its byte accounting on the wire. */
class NettyChannelTest extends ChannelContractTest {
    private static final Endpoint PARTY0 = new Endpoint("party0", TestPki.tls("party0"), NetLimits.defaults());
    private static final Endpoint PARTY1 = new Endpoint("party1", TestPki.tls("party1"), NetLimits.defaults());
    private static final ConcurrentHashMap<ByteString, CompletableFuture<FrameConnection>> ACCEPTED = new ConcurrentHashMap<>();
    private static final Endpoint.Server SERVER = PARTY1.listen(new InetSocketAddress("127.0.0.1", 0), Set.of(Role.PARTY0),
            (hello, c) -> ACCEPTED.computeIfAbsent(hello.getSessionId(), k -> new CompletableFuture<>()).complete(c));

    @AfterAll
    static void stop() {
        SERVER.close();
        PARTY0.close();
        PARTY1.close();
    }

    /** Two connected Netty channels; the limits' timeout is {@code timeout}. */
    static NettyChannel[] connect(Endpoint dialer, Duration timeout) {
        ByteString session = Sessions.newId();
        FrameConnection c0 = dialer.connect(SERVER.address(), Role.PARTY1,
                Hello.newBuilder().setPurpose(Hello.Purpose.PEER).setSessionId(session).build());
        FrameConnection c1 = ACCEPTED.computeIfAbsent(session, k -> new CompletableFuture<>()).orTimeout(10, TimeUnit.SECONDS).join();
        return new NettyChannel[] {new NettyChannel(0, c0, timeout), new NettyChannel(1, c1, timeout)};
    }

    @Override
    protected Channel[] pair(Duration timeout) {
        return connect(PARTY0, timeout);
    }

    @Test
    void aSenderFarAheadOfItsReaderIsSlowedDownNotCutOff() throws Exception {
        NettyChannel[] ch = connect(PARTY0, Duration.ofSeconds(20));
        FrameConnection sender = ch[0].connection();
        FrameConnection reader = ch[1].connection();
        int messages = 1000; // 100 MB, more than the socket buffers and the paused queue hold
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < messages; i++) {
                byte[] m = new byte[100_000];
                m[0] = (byte) i;
                m[1] = (byte) (i >> 8);
                sender.send("stream", m);
            }
        });
        Thread.sleep(500); // the reader is idle meanwhile: its socket reads pause instead of queueing everything
        assertTrue(!sent.isDone(), "the sender waits for the reader");
        for (int i = 0; i < messages; i++) {
            byte[] m = reader.receive("stream");
            assertEquals(i, (m[0] & 0xFF) | (m[1] & 0xFF) << 8, "message " + i + " in order");
        }
        sent.get(10, TimeUnit.SECONDS);
        assertEquals(null, reader.failure());
        ch[0].close();
        ch[1].close();
    }

    @Test
    void anIdleConnectionIsClosedAfterTheHandshakeTimeoutNotTheSessionTimeout() throws Exception {
        assertEquals(Duration.ofMinutes(2), NetLimits.defaults().timeout());
        try (java.net.Socket idle = new java.net.Socket(SERVER.address().getAddress(), SERVER.address().getPort())) {
            idle.setSoTimeout(25_000);
            long start = System.nanoTime();
            assertEquals(-1, idle.getInputStream().read(), "the server closes a connection that sends nothing");
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds >= NetLimits.HANDSHAKE_SECONDS - 1 && seconds < 25, "closed after " + seconds + " s");
        }
    }

    @Test
    void aMessageLongerThanTheFirstReservationArrivesWhole() throws Exception {
        NettyChannel[] ch = connect(PARTY0, Duration.ofSeconds(20));
        byte[] big = new byte[3 * FrameConnection.FIRST_RESERVATION + 12_345]; // grows twice while its chunks arrive
        new java.util.Random(10).nextBytes(big);
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> ch[0].connection().send("big", big));
        assertArrayEquals(big, ch[1].connection().receive("big"));
        sent.get(10, TimeUnit.SECONDS);
        ch[0].close();
        ch[1].close();
    }

    @Test
    void countedBytesEqualFrameBytesMinusReportedFraming() throws Exception {
        NettyChannel[] ch = connect(PARTY0, Duration.ofSeconds(20));
        both(new Channel[] {ch[0], ch[1]}, c -> {
            for (int i = 0; i < 5; i++) {
                c.exchange(new byte[1000 * i * i * i]);
            }
            return null;
        });
        for (NettyChannel c : ch) {
            long counted = c.meter().total().bytesSent() + c.meter().total().bytesReceived();
            assertEquals(c.connection().frameBytes() - c.framingBytes(), counted,
                    "the meter's bytes are the frame bytes seen in the pipeline minus the framing computed per frame");
            assertTrue(c.framingBytes() > 0 && c.framingBytes() < 100 * 20, "framing: " + c.framingBytes());
            assertTrue(c.connection().socketBytes() > c.connection().frameBytes(), "TLS adds its records");
        }
    }
}
