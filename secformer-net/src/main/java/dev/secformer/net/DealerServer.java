package dev.secformer.net;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.secformer.core.ChannelException;
import dev.secformer.core.Correlation;
import dev.secformer.core.CorrelationPlan;
import dev.secformer.core.Dealer;
import dev.secformer.core.PersistentMasks;
import dev.secformer.core.Prg;
import dev.secformer.net.proto.CorrelationRequest;
import dev.secformer.net.proto.Hello;
import dev.secformer.net.proto.PlanRecipes;
import dev.secformer.net.proto.PrepareRequest;
import dev.secformer.net.proto.SeedGrant;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dealer as a service. Party 0 starts a model load (fresh persistent and offline seeds); each
 * session of a load gets fresh session seeds. Each party receives only its own seeds (its role is
 * proven by its certificate). The dealer sees recipes (kinds and sizes), never an input, weight or
 * output share.
 *
 * <p>Two ways to serve party 1's corrections:
 * <ul>
 *   <li>inline, on a DEALER connection of one session: the dealer sends "seeds" ({@link SeedGrant});
 *       party 1 sends "correlation" ({@link CorrelationRequest}) for every draw in order and receives
 *       "corrections" (the derived parts, packed words) for each draw that has derived parts;</li>
 *   <li>ahead of the requests, on an OFFLINE connection of a model load ({@link #serveOffline}):
 *       party 1 sends a plan's recipes once ("plan", {@link PlanRecipes}), then asks for prepared runs
 *       ("prepare", {@link PrepareRequest}); the dealer streams each run's corrections. A run's seeds
 *       are children of the load's offline seeds, so party 0 prepares its side alone.</li>
 * </ul>
 * A session is forgotten when party 1's connection ends, or after the timeout if party 1 never
 * comes; at most {@value #MAX_LOADS} model loads are remembered.
 */
public final class DealerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DealerServer.class);
    static final int MAX_LOADS = 4;
    /** Plans an OFFLINE connection holds; registering one more forgets the oldest (party 1 mirrors this). */
    static final int MAX_PLANS = 16;
    /** Recipes a plan may have. */
    static final int MAX_PLAN_STEPS = 1 << 20;
    /** Ring elements of corrections packed into one message of a prepared run (8 MiB). */
    static final int BATCH_WORDS = 1 << 20;

    private record Session(Dealer dealer, long created) {
    }

    /**
     * A model load: its weights' masks, the parties' offline seeds, and per plan instance the lowest
     * run number not served yet, so that a prepared run's corrections are served at most once (a
     * guard against a faulty party 1; the last {@value #MAX_INSTANCES} instances are remembered).
     */
    private record Load(PersistentMasks masks, byte[][] offlineSeeds, Map<String, Long> nextRun) {
        static Load fresh() {
            return new Load(PersistentMasks.fresh(), new byte[][] {Prg.freshSeed(), Prg.freshSeed()},
                    new LinkedHashMap<>(16, 0.75f, true) {
                        @Override
                        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                            return size() > MAX_INSTANCES;
                        }
                    });
        }

        /** Claims run {@code run} of a plan instance; false if it (or a later one) was served already. */
        synchronized boolean claim(ByteString plan, long instance, long run) {
            String key = Sessions.hex(plan) + "/" + instance;
            Long next = nextRun.get(key);
            if (next != null && run < next) {
                return false;
            }
            nextRun.put(key, run + 1);
            return true;
        }
    }

    /** Plan instances whose served runs a load remembers. */
    static final int MAX_INSTANCES = 1024;

    private final Endpoint endpoint;
    private final Endpoint.Server server;
    private final Map<ByteString, Load> loads = new LinkedHashMap<>();
    private final Map<ByteString, Session> sessions = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "secformer-dealer-session");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "secformer-dealer-sweeper");
        t.setDaemon(true);
        return t;
    });

    public DealerServer(Endpoint endpoint, InetSocketAddress address) {
        this.endpoint = endpoint;
        this.server = endpoint.listen(address, Set.of(Role.PARTY0, Role.PARTY1), this::accept);
        long period = Math.max(1, endpoint.limits().timeout().toMillis() / 2);
        sweeper.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    public InetSocketAddress address() {
        return server.address();
    }

    /** Sessions currently held (for tests and monitoring). */
    public int openSessions() {
        return sessions.size();
    }

    private void accept(Hello hello, FrameConnection c) {
        if (hello.getPurpose() == Hello.Purpose.DEALER) {
            workers.execute(() -> serve(hello, c));
        } else if (hello.getPurpose() == Hello.Purpose.OFFLINE && c.peer() == Role.PARTY1) {
            workers.execute(() -> serveOffline(hello, c));
        } else {
            c.abort("this is the dealer; it serves DEALER connections and party 1's OFFLINE connection, not "
                    + hello.getPurpose() + " from " + c.peer().commonName());
        }
    }

    /** The load named {@code id}; an empty id starts a new load (party 0 only). */
    private Map.Entry<ByteString, Load> load(ByteString id, int party) {
        synchronized (loads) {
            if (id.isEmpty()) {
                if (party != 0) {
                    throw new IllegalArgumentException("only party 0 starts a model load");
                }
                id = Sessions.newId();
                loads.put(id, Load.fresh());
                while (loads.size() > MAX_LOADS) {
                    loads.remove(loads.keySet().iterator().next());
                }
                LOG.info("model load {} started by party 0", Sessions.hex(id));
            }
            Load l = loads.get(id);
            if (l == null) {
                throw new IllegalArgumentException("unknown model load " + Sessions.hex(id)
                        + " (the dealer restarted or forgot it): restart party 0 to load the model again");
            }
            return Map.entry(id, l);
        }
    }

    private void serve(Hello hello, FrameConnection c) {
        int id = c.peer() == Role.PARTY0 ? 0 : 1;
        try {
            Map.Entry<ByteString, Load> load = load(hello.getModelLoad(), id);
            PersistentMasks m = load.getValue().masks();
            Session s = sessions.computeIfAbsent(c.sessionId(),
                    k -> new Session(new Dealer(Prg.freshSeed(), Prg.freshSeed(), m), System.nanoTime()));
            c.send("seeds", SeedGrant.newBuilder().setModelLoad(load.getKey())
                    .setSessionSeed(ByteString.copyFrom(s.dealer().seedFor(id)))
                    .setPersistentSeed(ByteString.copyFrom(s.dealer().persistentSeedFor(id)))
                    .setOfflineSeed(ByteString.copyFrom(load.getValue().offlineSeeds()[id])).build().toByteArray());
            if (id == 1) {
                serveCorrections(s.dealer(), c);
            }
        } catch (IllegalArgumentException e) {
            LOG.warn("session {} of {}: {}", Sessions.hex(c.sessionId()), c.peer().commonName(), e.getMessage());
            c.abort(e.getMessage());
        } catch (ChannelException e) {
            LOG.info("session {}: {}", Sessions.hex(c.sessionId()), e.getMessage());
        } finally {
            if (id == 1) {
                sessions.remove(c.sessionId());
            }
            c.close();
        }
    }

    /**
     * Party 1's OFFLINE connection of a model load: registers plans and streams the corrections of
     * the prepared runs it asks for, each run once (run numbers must increase per plan). Sending
     * waits while party 1 has not read what was sent (the connection's back-pressure), so a run is
     * produced no faster than party 1 prepares it.
     */
    private void serveOffline(Hello hello, FrameConnection c) {
        Map<ByteString, CorrelationPlan> plans = new LinkedHashMap<>();
        try {
            Load load = load(hello.getModelLoad(), 1).getValue();
            while (c.failure() == null) {
                FrameConnection.Message m;
                try {
                    m = c.receive(java.time.Duration.ofDays(365)); // idle between runs; ends when party 1 closes
                } catch (ChannelException e) {
                    return;
                }
                switch (m.step()) {
                    case "plan" -> {
                        CorrelationPlan plan = plan(PlanRecipes.parseFrom(m.payload()));
                        plans.put(ByteString.copyFrom(plan.fingerprint()), plan);
                        if (plans.size() > MAX_PLANS) {
                            plans.remove(plans.keySet().iterator().next());
                        }
                    }
                    case "prepare" -> {
                        PrepareRequest r = PrepareRequest.parseFrom(m.payload());
                        CorrelationPlan plan = plans.get(r.getPlanFingerprint());
                        if (plan == null) {
                            throw new IllegalArgumentException("prepare: unknown plan " + Sessions.hex(r.getPlanFingerprint()));
                        }
                        if (!load.claim(r.getPlanFingerprint(), r.getPlanInstance(), r.getRun())) {
                            throw new IllegalArgumentException("prepare: run " + r.getRun() + " of plan "
                                    + Sessions.hex(r.getPlanFingerprint()) + " was served already");
                        }
                        streamRun(c, plan, new Dealer(plan.runSeed(load.offlineSeeds()[0], r.getPlanInstance(), r.getRun()),
                                plan.runSeed(load.offlineSeeds()[1], r.getPlanInstance(), r.getRun()), load.masks()));
                    }
                    default -> throw new IllegalArgumentException("expected \"plan\" or \"prepare\", received \""
                            + m.step() + "\"");
                }
            }
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            LOG.warn("offline connection of {}: {}", c.peer().commonName(), e.getMessage());
            c.abort(e.getMessage());
        } catch (ChannelException e) {
            LOG.info("offline connection: {}", e.getMessage());
        } finally {
            c.close();
        }
    }

    private static CorrelationPlan plan(PlanRecipes recipes) {
        if (recipes.getRecipesCount() > MAX_PLAN_STEPS) {
            throw new IllegalArgumentException("a plan of " + recipes.getRecipesCount() + " recipes exceeds the limit of "
                    + MAX_PLAN_STEPS);
        }
        List<Correlation> list = new ArrayList<>(recipes.getRecipesCount());
        for (CorrelationRequest r : recipes.getRecipesList()) {
            list.add(Recipes.recipe(r));
        }
        return CorrelationPlan.ofRecipes(list);
    }

    /** Sends one run's corrections in plan order, whole recipes packed into messages of about {@value #BATCH_WORDS} words. */
    private static void streamRun(FrameConnection c, CorrelationPlan plan, Dealer dealer) {
        List<long[]> batch = new ArrayList<>();
        long words = 0;
        for (CorrelationPlan.Step step : plan.steps()) {
            long[][] parts = dealer.corrections(step.correlation());
            for (long[] p : parts) {
                batch.add(p);
                words += p.length;
            }
            if (words >= BATCH_WORDS) {
                Recipes.sendCorrections(c, batch, "a batch of a prepared run");
                batch.clear();
                words = 0;
            }
        }
        if (words > 0) {
            Recipes.sendCorrections(c, batch, "a batch of a prepared run");
        }
    }

    /** Answers party 1's requests until its connection ends. */
    private void serveCorrections(Dealer dealer, FrameConnection c) {
        while (c.failure() == null) {
            FrameConnection.Message m;
            try {
                m = c.receive();
            } catch (ChannelException e) {
                return; // party 1 is done (or gone)
            }
            if (!m.step().equals("correlation")) {
                throw new IllegalArgumentException("expected a \"correlation\" request, received \"" + m.step() + "\"");
            }
            CorrelationRequest r;
            try {
                r = CorrelationRequest.parseFrom(m.payload());
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException("malformed correlation request: " + e.getMessage(), e);
            }
            long[][] parts = dealer.corrections(Recipes.recipe(r));
            if (parts.length == 0) {
                continue; // nothing derived: party 1 does not wait for an answer
            }
            Recipes.sendCorrections(c, List.of(parts), "correlation " + r.getKind());
        }
    }

    /** Forgets sessions whose party 1 never came. */
    private void sweep() {
        long limit = System.nanoTime() - endpoint.limits().timeout().toNanos();
        sessions.entrySet().removeIf(e -> {
            boolean stale = e.getValue().created() < limit;
            if (stale) {
                LOG.info("forgetting session {}: party 1 did not come within {}", Sessions.hex(e.getKey()),
                        endpoint.limits().timeout());
            }
            return stale;
        });
    }

    @Override
    public void close() {
        server.close();
        sweeper.shutdownNow();
        workers.shutdownNow();
    }
}
