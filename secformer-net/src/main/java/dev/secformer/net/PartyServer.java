package dev.secformer.net;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.secformer.core.ChannelException;
import dev.secformer.core.CorrelatedRandomness;
import dev.secformer.core.CorrelationPlan;
import dev.secformer.core.CostMeter;
import dev.secformer.core.FixedPoint;
import dev.secformer.core.Party;
import dev.secformer.core.PlanRecorder;
import dev.secformer.core.PreparationPool;
import dev.secformer.core.PreparedRandomness;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SeededRandomness;
import dev.secformer.net.proto.Cost;
import dev.secformer.net.proto.Hello;
import dev.secformer.net.proto.Result;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A computing party as a long-running server. It loads the model once with its peer (party 0
 * starts the load at {@link #start}), then serves inferences: a client sends each party its shares
 * of the inputs; party 0 dials party 1 for the session's protocol channel; each returns its shares
 * of the outputs and the session's cost to the client. Sessions are independent and run
 * concurrently, each on its own thread, up to {@code maxSessions}; beyond that a client is told the
 * party is busy.
 *
 * <p>Offline and online phases: the first session of an input shape (its plan) fetches session seeds
 * from the dealer and draws its correlations inline (party 1 asking the dealer for each), recording
 * them. From then on both parties keep {@code prepareAhead} runs of that plan prepared in the
 * background ({@link PreparationPool}; party 1's corrections stream ahead from the dealer over its
 * OFFLINE connection), and a session of that shape only computes: party 0 takes the next prepared
 * run and names it in the PEER hello, party 1 takes the same one.
 *
 * <p>Failure: any error in a session (bad input, a peer that closes or stalls beyond the timeout,
 * a protocol violation) ends that session only: its connections are closed, the client receives
 * the reason, and the server goes on serving.
 *
 * @param <M> the loaded model, as {@link Service#load} returns it
 */
public final class PartyServer<M> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PartyServer.class);
    /** Party 0's choice of plan instances. */
    private static final java.security.SecureRandom INSTANCES = new java.security.SecureRandom();

    /** What the two parties compute. Both run the same service. */
    public interface Service<M> {
        /** Once per model load, with the peer (e.g. opening the masked weights). */
        M load(Party party) throws Exception;

        /**
         * One inference. Must check the inputs before the first protocol message and throw an
         * {@link IllegalArgumentException} that says what is wrong with them.
         */
        Map<String, RingTensor> infer(Party party, M model, Map<String, RingTensor> inputs) throws Exception;
    }

    /**
     * @param id           0 or 1
     * @param listen       where clients (and, for party 1, party 0) connect
     * @param peer         party 1's address (party 0 only; null for party 1)
     * @param dealer       the dealer's address
     * @param maxSessions  concurrent sessions served at most
     * @param prepareAhead runs prepared ahead per input shape (the offline phase); 0 draws every
     *                     correlation inline while the client waits
     * @param link         an emulated link on the sessions' party-to-party connection (this party's
     *                     direction), or null for the real network as it is
     */
    public record Config(int id, InetSocketAddress listen, InetSocketAddress peer, InetSocketAddress dealer,
                         int maxSessions, FixedPoint fixedPoint, int prepareAhead, LinkShape link) {
        /**
         * Plans (input shapes) party 0 keeps prepared at once, the least recently used forgotten; party 1
         * keeps twice as many, so that it still holds every plan party 0 uses. If it does not, the session
         * fails and party 0 forgets the plan: the next session of that shape records it again.
         */
        static final int MAX_PLANS = 4;

        public Config {
            Role.party(id);
            if ((id == 0) != (peer != null)) {
                throw new IllegalArgumentException("party 0, and only party 0, needs the address of party 1");
            }
            if (maxSessions < 1) {
                throw new IllegalArgumentException("maxSessions must be at least 1, got " + maxSessions);
            }
            if (prepareAhead < 0) {
                throw new IllegalArgumentException("prepareAhead must be at least 0, got " + prepareAhead);
            }
        }
    }

    /** A model load: its id, seeds, the service's model and the offline phase serving it (null when disabled). */
    private record Loaded<M>(ByteString id, byte[] persistentSeed, M model, PreparationPool pool) {
        /** Marks a session as running: the offline phase then prepares only what a waiting session needs. */
        AutoCloseable online() {
            return pool == null ? () -> { } : pool.computing();
        }

        void close() {
            if (pool != null) {
                pool.close();
            }
        }
    }

    /** Party 1's meeting point of a session's client and peer connections. */
    private static final class Rendezvous {
        FrameConnection client;
        FrameConnection peer;
        Hello peerHello;
        boolean started;
        /** The half-joined session's expiry, cancelled when the other half comes. */
        java.util.concurrent.ScheduledFuture<?> expiry;
    }

    private final Config config;
    private final Endpoint endpoint;
    private final Service<M> service;
    private final ConcurrentHashMap<ByteString, CompletableFuture<Loaded<M>>> loads = new ConcurrentHashMap<>();
    private volatile CompletableFuture<Loaded<M>> current;
    private final Map<ByteString, Rendezvous> rendezvous = new ConcurrentHashMap<>();
    private final Set<ByteString> active = ConcurrentHashMap.newKeySet();
    private final AtomicInteger running = new AtomicInteger();
    private final ExecutorService sessions = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "secformer-session");
        t.setDaemon(true);
        return t;
    });
    /** Expires half-joined sessions: one thread, whatever the number waiting. */
    private final java.util.concurrent.ScheduledExecutorService expiries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "secformer-expiry");
        t.setDaemon(true);
        return t;
    });
    private Endpoint.Server server;

    public PartyServer(Config config, Endpoint endpoint, Service<M> service) {
        this.config = config;
        this.endpoint = endpoint;
        this.service = service;
    }

    private Duration timeout() {
        return endpoint.limits().timeout();
    }

    /**
     * Starts the party. Party 0 first loads the model with party 1 (retrying the connection until
     * {@code waitForPeers} has passed), then listens for clients; party 1 listens at once.
     */
    public PartyServer<M> start(Duration waitForPeers) throws Exception {
        if (config.id() == 0) {
            long deadline = System.nanoTime() + waitForPeers.toNanos();
            while (true) {
                try {
                    current = CompletableFuture.completedFuture(loadAsParty0());
                    break;
                } catch (Endpoint.ConnectException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    LOG.info("waiting for the dealer and party 1: {}", e.getMessage());
                    Thread.sleep(500);
                }
            }
        }
        // Party 0 listens once its model is loaded; party 1 at once, since party 0's load dials it.
        Set<Role> allowed = config.id() == 0 ? Set.of(Role.CLIENT) : Set.of(Role.CLIENT, Role.PARTY0);
        server = endpoint.listen(config.listen(), allowed, this::accept);
        return this;
    }

    /** Where this party listens. */
    public InetSocketAddress address() {
        return server.address();
    }

    /** Sessions running now. */
    public int runningSessions() {
        return running.get();
    }

    /** Party 0: starts a model load at the dealer and runs the load protocol with party 1. */
    private Loaded<M> loadAsParty0() throws Exception {
        ByteString session = Sessions.newId();
        try (RemoteDealer dealer = RemoteDealer.connect(endpoint, config.dealer(), session, ByteString.EMPTY);
             FrameConnection peer = endpoint.connect(config.peer(), Role.PARTY1, Hello.newBuilder()
                     .setPurpose(Hello.Purpose.LOAD).setSessionId(session).setModelLoad(dealer.modelLoad()).build())) {
            NettyChannel ch = new NettyChannel(0, peer);
            Party p = new Party(ch, new SeededRandomness(0, dealer.sessionSeed(), dealer.persistentSeed(), null, ch.meter()),
                    config.fixedPoint());
            long start = System.nanoTime();
            M model = service.load(p);
            LOG.info("model load {} done in {} s ({} bytes to party 1)", Sessions.hex(dealer.modelLoad()),
                    String.format("%.2f", (System.nanoTime() - start) / 1e9), ch.meter().total().bytesSent());
            return new Loaded<>(dealer.modelLoad(), dealer.persistentSeed(), model, pool(dealer));
        }
    }

    /**
     * The offline phase of a model load: party 0 prepares its runs from its offline seed alone, party
     * 1 with the corrections the dealer streams on an OFFLINE connection. Null when disabled.
     */
    private PreparationPool pool(RemoteDealer load) {
        if (config.prepareAhead() == 0) {
            return null;
        }
        byte[] offlineSeed = load.offlineSeed();
        byte[] persistentSeed = load.persistentSeed();
        PreparationPool.Source source;
        if (config.id() == 0) {
            source = (key, plan, instance, run) -> PreparedRandomness.prepare(plan, new SeededRandomness(0,
                    plan.runSeed(offlineSeed, instance, run), persistentSeed, null, new CostMeter()), 0);
        } else {
            OfflineDealer offline = new OfflineDealer(endpoint, config.dealer(), load.modelLoad(), offlineSeed, persistentSeed);
            source = (key, plan, instance, run) -> offline.prepare(plan, instance, run);
        }
        PreparationPool.Source logged = (key, plan, instance, run) -> {
            long start = System.nanoTime();
            try {
                PreparedRandomness r = source.prepare(key, plan, instance, run);
                LOG.info("prepared run {} of plan {} in {} s", run, key, String.format("%.2f", (System.nanoTime() - start) / 1e9));
                return r;
            } catch (Exception e) {
                LOG.warn("preparing run {} of plan {} failed: {}", run, key, e.toString());
                throw e;
            }
        };
        return new PreparationPool(config.prepareAhead(), config.id() == 0 ? Config.MAX_PLANS : 2 * Config.MAX_PLANS,
                config.maxSessions(), logged, timeout(),
                "secformer-offline-party-" + config.id());
    }

    /** Waits until the current model's offline phase has every known plan's runs prepared; true if so. */
    public boolean awaitPrepared(Duration wait) throws Exception {
        CompletableFuture<Loaded<M>> f = current;
        if (f == null) {
            return false;
        }
        PreparationPool pool = f.get(wait.toNanos(), TimeUnit.NANOSECONDS).pool();
        return pool == null || pool.awaitFull(wait);
    }

    /** A plan's name: the inputs' names and shapes, which decide the correlations a session draws. */
    static String planKey(Map<String, RingTensor> inputs) {
        StringBuilder sb = new StringBuilder();
        new java.util.TreeMap<>(inputs).forEach((name, t) -> sb.append(sb.length() == 0 ? "" : " ").append(name)
                .append(java.util.Arrays.toString(t.shape()).replace(" ", "")));
        return sb.toString();
    }

    private void accept(Hello hello, FrameConnection c) {
        switch (hello.getPurpose()) {
            case INFERENCE -> {
                if (c.peer() != Role.CLIENT) {
                    c.abort("only a client may ask for an inference");
                } else if (config.id() == 0) {
                    admit(c, null, () -> serveAsParty0(c));
                } else {
                    meet(c, null, hello);
                }
            }
            case PEER, LOAD -> {
                if (c.peer() != Role.PARTY0) {
                    c.abort("only party 0 may open a " + hello.getPurpose() + " connection");
                } else if (hello.getPurpose() == Hello.Purpose.PEER) {
                    meet(null, shaped(c), hello);
                } else {
                    sessions.execute(() -> loadAsParty1(hello, c));
                }
            }
            default -> c.abort("a party serves INFERENCE, PEER and LOAD connections, not " + hello.getPurpose());
        }
    }

    /**
     * Runs {@code session} if there is room and its id is new; else tells the client, and party 0's
     * link when there is one, why not. Party 1 runs only what party 0 admitted, but its sessions end
     * a little after party 0's: it allows twice the sessions, so that it does not refuse one party 0
     * has started while the one before still finishes here.
     */
    private void admit(FrameConnection client, FrameConnection peer, Runnable session) {
        int room = peer == null ? config.maxSessions() : 2 * config.maxSessions();
        String refusal = null;
        if (!active.add(client.sessionId())) {
            refusal = "session " + Sessions.hex(client.sessionId()) + " is already in use";
        } else if (running.incrementAndGet() > room) {
            running.decrementAndGet();
            active.remove(client.sessionId());
            refusal = "party " + config.id() + " is busy: " + room + " sessions are running";
        }
        if (refusal != null) {
            client.abort(refusal);
            if (peer != null) {
                peer.abort(refusal);
            }
            return;
        }
        sessions.execute(() -> {
            try {
                session.run();
            } finally {
                release(client.sessionId());
            }
        });
    }

    /**
     * Frees a session's slot, once: when its computation is done, before its result goes out, so that
     * the client's next request finds the slot free (it was refused as busy when it came before the
     * session's thread had ended).
     */
    private void release(ByteString id) {
        if (active.remove(id)) {
            running.decrementAndGet();
        }
    }

    /** Party 1: waits until a session's client and party 0 have both arrived (or the timeout passed). */
    private void meet(FrameConnection client, FrameConnection peer, Hello hello) {
        ByteString id = hello.getSessionId();
        Rendezvous r;
        boolean ready = false;
        synchronized (rendezvous) {
            if (!rendezvous.containsKey(id) && rendezvous.size() >= maxWaiting()) {
                (client != null ? client : peer).abort("party " + config.id() + " is busy: " + maxWaiting()
                        + " sessions wait for their other half");
                return;
            }
            r = rendezvous.computeIfAbsent(id, k -> new Rendezvous());
            if ((client != null && r.client != null) || (peer != null && r.peer != null) || r.started) {
                (client != null ? client : peer).abort("session " + Sessions.hex(id) + " is already in use");
                return;
            }
            if (client != null) {
                r.client = client;
            } else {
                r.peer = peer;
                r.peerHello = hello;
            }
            if (r.client != null && r.peer != null) {
                r.started = true;
                rendezvous.remove(id);
                ready = true;
                if (r.expiry != null) {
                    r.expiry.cancel(false);
                }
            } else {
                r.expiry = expiries.schedule(() -> expire(id, r), timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }
        if (ready) {
            admit(r.client, r.peer, () -> serveAsParty1(r.client, r.peer, r.peerHello));
        }
    }

    /**
     * Half-joined sessions kept at most: twice the sessions served, so that a burst of clients that
     * party 0 turns away (their halves here expire after the timeout) or connections that never
     * pair cannot pile up without bound.
     */
    private int maxWaiting() {
        return 2 * config.maxSessions();
    }

    private void expire(ByteString id, Rendezvous r) {
        synchronized (rendezvous) {
            if (r.started || rendezvous.get(id) != r) {
                return;
            }
            rendezvous.remove(id);
        }
        String reason = "unknown session " + Sessions.hex(id) + ": " + (r.client == null ? "no client" : "party 0 did not")
                + " join it within " + timeout();
        LOG.warn(reason);
        for (FrameConnection c : new FrameConnection[] {r.client, r.peer}) {
            if (c != null) {
                c.abort(reason);
            }
        }
    }

    private void loadAsParty1(Hello hello, FrameConnection peer) {
        CompletableFuture<Loaded<M>> f = loads.computeIfAbsent(hello.getModelLoad(), k -> new CompletableFuture<>());
        try (peer; RemoteDealer dealer = RemoteDealer.connect(endpoint, config.dealer(), peer.sessionId(), hello.getModelLoad())) {
            NettyChannel ch = new NettyChannel(1, peer);
            Party p = new Party(ch, new SeededRandomness(1, dealer.sessionSeed(), dealer.persistentSeed(), dealer, ch.meter()),
                    config.fixedPoint());
            f.complete(new Loaded<>(dealer.modelLoad(), dealer.persistentSeed(), service.load(p), pool(dealer)));
            CompletableFuture<Loaded<M>> previous = current;
            current = f;
            if (previous != null && previous != f) {
                loads.values().remove(previous); // sessions of the old load that are running keep their model
                previous.thenAccept(Loaded::close);
            }
            LOG.info("model load {} done", Sessions.hex(hello.getModelLoad()));
        } catch (Exception e) {
            LOG.error("model load {} failed: {}", Sessions.hex(hello.getModelLoad()), e.toString());
            loads.remove(hello.getModelLoad());
            f.completeExceptionally(e);
            peer.abort("party 1 could not load the model: " + e.getMessage());
        }
    }

    private void serveAsParty0(FrameConnection client) {
        session(client, links -> {
            Loaded<M> loaded = current.get();
            try (AutoCloseable online = loaded.online()) {
                return serveAsParty0(client, links, loaded);
            }
        });
    }

    private Result serveAsParty0(FrameConnection client, java.util.List<FrameConnection> links, Loaded<M> loaded)
            throws Exception {
        Map<String, RingTensor> inputs = TensorCodec.decode(client.receive("inputs"));
        String key = planKey(inputs);
        PreparationPool.Run run = loaded.pool() != null ? loaded.pool().takeNext(key) : null;
        long instance = run != null ? run.instance() : INSTANCES.nextLong();
        Hello.Builder hello = Hello.newBuilder().setPurpose(Hello.Purpose.PEER).setSessionId(client.sessionId())
                .setModelLoad(loaded.id()).setPlan(key).setPlanInstance(instance);
        if (run != null) {
            hello.setPrepared(true).setPreparedRun(run.number())
                    .setPlanFingerprint(ByteString.copyFrom(run.randomness().plan().fingerprint()));
            try {
                FrameConnection peer = peerConnection(hello.build());
                links.add(peer);
                return compute(client, new NettyChannel(0, peer), run.randomness(), loaded, inputs);
            } catch (Exception e) {
                // Party 1 may have forgotten the plan (it keeps a bounded number): the next session of
                // this shape records it again at both parties.
                loaded.pool().forget(key);
                throw e;
            }
        }
        try (RemoteDealer dealer = RemoteDealer.connect(endpoint, config.dealer(), client.sessionId(), loaded.id())) {
            FrameConnection peer = peerConnection(hello.build());
            links.add(peer);
            return computeInline(client, new NettyChannel(0, peer), dealer, null, loaded, key, instance, inputs);
        }
    }

    /** Party 0: the session's connection to party 1, shaped when the configuration asks for a link. */
    private FrameConnection peerConnection(Hello hello) {
        return shaped(endpoint.connect(config.peer(), Role.PARTY1, hello));
    }

    private FrameConnection shaped(FrameConnection c) {
        if (config.link() != null) {
            c.shape(config.link());
        }
        return c;
    }

    private void serveAsParty1(FrameConnection client, FrameConnection peer, Hello peerHello) {
        session(client, links -> {
            links.add(peer);
            CompletableFuture<Loaded<M>> f = loads.get(peerHello.getModelLoad());
            if (f == null) {
                throw new IllegalStateException("party 0 uses model load " + Sessions.hex(peerHello.getModelLoad())
                        + ", which party 1 does not hold");
            }
            Loaded<M> loaded = f.get(timeout().toNanos(), TimeUnit.NANOSECONDS);
            try (AutoCloseable online = loaded.online()) {
                return serveAsParty1(client, peer, peerHello, loaded);
            }
        });
    }

    private Result serveAsParty1(FrameConnection client, FrameConnection peer, Hello peerHello, Loaded<M> loaded)
            throws Exception {
        Map<String, RingTensor> inputs = TensorCodec.decode(client.receive("inputs"));
        String key = planKey(inputs);
        if (!key.equals(peerHello.getPlan())) {
            throw new IllegalArgumentException("the client sent party 0 inputs of shapes " + peerHello.getPlan()
                    + " but party 1 inputs of shapes " + key);
        }
        if (peerHello.getPrepared()) {
            CorrelationPlan plan = loaded.pool() == null ? null : loaded.pool().awaitPlan(key, peerHello.getPlanInstance());
            if (plan == null || !ByteString.copyFrom(plan.fingerprint()).equals(peerHello.getPlanFingerprint())) {
                throw new IllegalStateException("party 0 runs plan " + key + " prepared, but party 1 "
                        + (plan == null ? "does not hold it" : "recorded a different plan") + "; the next session records it again");
            }
            PreparationPool.Run run = loaded.pool().take(key, peerHello.getPreparedRun());
            return compute(client, new NettyChannel(1, peer), run.randomness(), loaded, inputs);
        }
        try (RemoteDealer dealer = RemoteDealer.connect(endpoint, config.dealer(), client.sessionId(), loaded.id())) {
            return computeInline(client, new NettyChannel(1, peer), dealer, dealer, loaded, key,
                    peerHello.getPlanInstance(), inputs);
        }
    }

    /** A session that draws inline from the session's seeds and records its plan for the offline phase. */
    private Result computeInline(FrameConnection client, NettyChannel ch, RemoteDealer dealer, RemoteDealer link,
                                 Loaded<M> loaded, String key, long instance, Map<String, RingTensor> inputs) throws Exception {
        if (!dealer.modelLoad().equals(loaded.id())) {
            throw new IllegalStateException("the dealer answered for another model load");
        }
        SeededRandomness seeded = new SeededRandomness(config.id(), dealer.sessionSeed(), loaded.persistentSeed(), link,
                ch.meter());
        if (loaded.pool() == null) {
            return compute(client, ch, seeded, loaded, inputs);
        }
        PlanRecorder recorder = new PlanRecorder(seeded, ch.meter());
        Result r = compute(client, ch, recorder, loaded, inputs);
        loaded.pool().add(key, recorder.plan(), instance);
        return r;
    }

    /** Runs the service on {@code randomness}; prepared material adds its offline cost to the report. */
    private Result compute(FrameConnection client, NettyChannel ch, CorrelatedRandomness randomness, Loaded<M> loaded,
                           Map<String, RingTensor> inputs) throws Exception {
        CostMeter meter = ch.meter();
        Party p = new Party(ch, randomness, config.fixedPoint());
        long start = System.nanoTime();
        Map<String, RingTensor> out = service.infer(p, loaded.model(), inputs);
        long nanos = System.nanoTime() - start;
        Map<String, CostMeter.PhaseCost> phases = meter.snapshot();
        CostMeter.PhaseCost c = phases.values().stream().reduce(CostMeter.PhaseCost.ZERO, CostMeter.PhaseCost::plus);
        boolean prepared = randomness instanceof PreparedRandomness;
        long offlineNanos = 0;
        if (prepared) {
            PreparedRandomness r = (PreparedRandomness) randomness;
            r.checkUsedUp();
            phases = CostMeter.merge(phases, r.offlineCost());
            offlineNanos = r.offlineCost().values().stream().mapToLong(CostMeter.PhaseCost::offlineNanos).sum();
        }
        long dealerBytes = phases.values().stream().mapToLong(CostMeter.PhaseCost::dealerBytes).sum();
        Result.Builder r = Result.newBuilder().setCost(PhaseCosts.addTo(Cost.newBuilder().setBytesSent(c.bytesSent())
                .setBytesReceived(c.bytesReceived()).setRounds(c.rounds()).setDealerBytes(dealerBytes).setNanos(nanos)
                .setOfflineNanos(offlineNanos).setPrepared(prepared)
                .setFramingBytes(ch.framingBytes()).setSocketBytes(ch.connection().socketBytes()), phases));
        out.forEach((n, t) -> r.addTensors(TensorCodec.encode(n, t)));
        LOG.info("session {}{}: {} bytes to and {} from the peer, {} rounds, {} dealer bytes, {} s online{}",
                Sessions.hex(client.sessionId()), prepared ? " (prepared)" : "", c.bytesSent(), c.bytesReceived(), c.rounds(),
                dealerBytes, String.format("%.3f", nanos / 1e9),
                prepared ? String.format(", %.3f s offline", offlineNanos / 1e9) : "");
        return r.build();
    }

    /** A session body; it adds the connections it opens to {@code links}, which end with the session. */
    private interface Body {
        Result run(java.util.List<FrameConnection> links) throws Exception;
    }

    /** Runs a session: its result goes to the client; a failure goes to the client and to the session's peer. */
    private void session(FrameConnection client, Body body) {
        java.util.List<FrameConnection> links = new java.util.ArrayList<>();
        try {
            Result r = body.run(links);
            release(client.sessionId());
            client.send("outputs", r.toByteArray());
            client.close();
            links.forEach(FrameConnection::close);
        } catch (Exception e) {
            String reason = reason(e);
            LOG.warn("session {} failed: {}", Sessions.hex(client.sessionId()), reason);
            client.abort("party " + config.id() + ": " + reason);
            links.forEach(l -> l.abort(reason));
        }
    }

    private static String reason(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.ExecutionException || t instanceof java.util.concurrent.CompletionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof IllegalArgumentException) {
            return "bad input: " + t.getMessage();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        sessions.shutdownNow();
        expiries.shutdownNow();
        for (CompletableFuture<Loaded<M>> f : new java.util.ArrayList<>(loads.values())) {
            f.thenAccept(Loaded::close);
        }
        CompletableFuture<Loaded<M>> c = current;
        if (c != null) {
            c.thenAccept(Loaded::close);
        }
    }
}
