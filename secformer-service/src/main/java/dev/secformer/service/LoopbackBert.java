package dev.secformer.service;

import dev.secformer.core.FixedPoint;
import dev.secformer.net.DealerServer;
import dev.secformer.net.Endpoint;
import dev.secformer.net.InferenceClient;
import dev.secformer.net.KeyGen;
import dev.secformer.net.LinkShape;
import dev.secformer.net.NetLimits;
import dev.secformer.net.PartyServer;
import dev.secformer.net.Tls;
import dev.secformer.nn.secure.BertShares;
import dev.secformer.nn.secure.LoadedBert;
import dev.secformer.nn.secure.ProtocolSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The network deployment of a secure BERT on loopback, in one JVM, for tests and benchmarks: a
 * development CA and certificates made by {@link KeyGen} in a temporary folder, a
 * {@link DealerServer}, party 1 and party 0 as {@link PartyServer}s running {@link BertService}
 * (Netty, mutual TLS 1.3), and an {@link InferenceClient}. Party 0 loads the model with party 1
 * while it starts. {@link #close} stops every server and event loop and deletes the certificates;
 * a start that fails undoes what it had started.
 */
public final class LoopbackBert implements AutoCloseable {
    /** The client's name: its certificate's common name is {@code client-loopback}. */
    private static final String CLIENT = "loopback";
    /** Leaves room for a new session while the previous one's threads are still winding down. */
    private static final int MAX_SESSIONS = 4;

    private final Path certificates;
    private final Deque<Runnable> stops = new ArrayDeque<>();
    private final List<PartyServer<LoadedBert>> parties = new java.util.ArrayList<>();
    private InferenceClient client;
    private RemoteBert bert;

    private LoopbackBert(Path certificates) {
        this.certificates = certificates;
    }

    /**
     * Starts the dealer and both parties with the parties' model shares (as {@code ModelOwner.split}
     * or {@code ShareFile.read} give them) and returns once party 0 has loaded the model.
     *
     * @param suite  the protocol suite both parties run
     * @param limits every connection's limits; its timeout also bounds party 0's wait for the others
     */
    public static LoopbackBert start(BertShares party0, BertShares party1, ProtocolSuite suite, NetLimits limits)
            throws IOException {
        return start(party0, party1, suite, limits, null);
    }

    /** The same with the party-to-party connection shaped as {@code link} (null: loopback as it is). */
    public static LoopbackBert start(BertShares party0, BertShares party1, ProtocolSuite suite, NetLimits limits,
                                     LinkShape link) throws IOException {
        return start(party0, party1, suite, limits, link, FixedPoint.standard());
    }

    /** The same with the parties' fixed-point codec (and so their truncation) given; it must be the shares' own. */
    public static LoopbackBert start(BertShares party0, BertShares party1, ProtocolSuite suite, NetLimits limits,
                                     LinkShape link, FixedPoint fixedPoint) throws IOException {
        LoopbackBert d = new LoopbackBert(Files.createTempDirectory("secformer-loopback"));
        try {
            d.startServers(party0, party1, suite, limits, link, fixedPoint);
            return d;
        } catch (IOException | RuntimeException | Error e) {
            d.closeSuppressingInto(e);
            throw e;
        } catch (Exception e) {
            d.closeSuppressingInto(e);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the loopback deployment did not start: " + e.getMessage(), e);
        }
    }

    private void startServers(BertShares party0, BertShares party1, ProtocolSuite suite, NetLimits limits, LinkShape link,
                              FixedPoint fixedPoint) throws Exception {
        KeyGen.generate(certificates, List.of("127.0.0.1"), List.of(CLIENT), Duration.ofDays(1));
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        DealerServer dealer = stopLater(new DealerServer(endpoint("dealer", limits), any), DealerServer::close);
        PartyServer<LoadedBert> p1 = stopLater(new PartyServer<>(new PartyServer.Config(1, any, null, dealer.address(),
                MAX_SESSIONS, fixedPoint, 1, link), endpoint("party1", limits), new BertService(party1, suite)),
                PartyServer::close);
        p1.start(Duration.ZERO);
        PartyServer<LoadedBert> p0 = stopLater(new PartyServer<>(new PartyServer.Config(0, any, p1.address(), dealer.address(),
                MAX_SESSIONS, fixedPoint, 1, link), endpoint("party0", limits), new BertService(party0, suite)),
                PartyServer::close);
        p0.start(limits.timeout());
        parties.add(p0);
        parties.add(p1);
        client = new InferenceClient(endpoint("client-" + CLIENT, limits), p0.address(), p1.address());
        bert = new RemoteBert(client, party0.embeddings().word().dim(0), party0.embeddings().tokenType().dim(0),
                fixedPoint);
    }

    /** An endpoint with the certificate of {@code name}; its event loops stop after the servers. */
    private Endpoint endpoint(String name, NetLimits limits) {
        return stopLater(new Endpoint(name, new Tls(Tls.Files.in(certificates, name)), limits), Endpoint::close);
    }

    private <T> T stopLater(T started, Consumer<T> stop) {
        stops.push(() -> stop.accept(started));
        return started;
    }

    /** The client, for requests of one's own (e.g. malformed ones). */
    public InferenceClient client() {
        return client;
    }

    /** The deployment's secure BERT, as a client calls it. */
    public RemoteBert bert() {
        return bert;
    }

    /**
     * Waits until both parties' offline phases have every input shape seen so far prepared, so that
     * the next request's time is online work alone; true if they have within {@code wait}.
     */
    public boolean awaitPrepared(Duration wait) throws Exception {
        for (PartyServer<LoadedBert> p : parties) {
            if (!p.awaitPrepared(wait)) {
                return false;
            }
        }
        return true;
    }

    /** The folder of the development certificates; {@link #close} deletes it. */
    public Path certificateDir() {
        return certificates;
    }

    /** Stops what was started, latest first (each server before its event loops), and deletes the certificates. */
    @Override
    public void close() {
        RuntimeException failure = null;
        while (!stops.isEmpty()) {
            try {
                stops.pop().run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        try {
            deleteCertificates();
        } catch (IOException e) {
            UncheckedIOException u = new UncheckedIOException("cannot delete " + certificates, e);
            if (failure == null) {
                failure = u;
            } else {
                failure.addSuppressed(u);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void closeSuppressingInto(Throwable cause) {
        try {
            close();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private void deleteCertificates() throws IOException {
        if (!Files.exists(certificates)) {
            return;
        }
        try (Stream<Path> files = Files.walk(certificates)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
