package dev.secformer.net;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.secformer.core.ChannelException;
import dev.secformer.core.Correlation;
import dev.secformer.core.CorrelationRegistry;
import dev.secformer.core.Dealer;
import dev.secformer.core.PersistentMasks;
import dev.secformer.core.Prg;
import dev.secformer.net.proto.CorrelationRequest;
import dev.secformer.net.proto.Hello;
import dev.secformer.net.proto.SeedGrant;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
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
 * The dealer as a service. Party 0 starts a model load (fresh persistent seeds); each session of a
 * load gets fresh session seeds. Each party receives only its own seeds (its role is proven by its
 * certificate), and party 1 then sends correlation requests in the order it draws and receives the
 * corrections. The dealer sees recipes (kinds and sizes), never an input, weight or output share.
 *
 * <p>Messages on a dealer connection: the dealer sends "seeds" ({@link SeedGrant}); party 1 sends
 * "correlation" ({@link CorrelationRequest}) and receives "corrections" (the derived parts, packed
 * words, in order). A session is forgotten when party 1's connection ends, or after the timeout if
 * party 1 never comes; at most {@value #MAX_LOADS} model loads are remembered.
 */
public final class DealerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DealerServer.class);
    static final int MAX_LOADS = 4;

    private record Session(Dealer dealer, long created) {
    }

    private final Endpoint endpoint;
    private final Endpoint.Server server;
    private final Map<ByteString, PersistentMasks> loads = new LinkedHashMap<>();
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
        if (hello.getPurpose() != Hello.Purpose.DEALER) {
            c.abort("this is the dealer; it serves only DEALER connections, not " + hello.getPurpose());
            return;
        }
        workers.execute(() -> serve(hello, c));
    }

    private void serve(Hello hello, FrameConnection c) {
        int id = c.peer() == Role.PARTY0 ? 0 : 1;
        try {
            ByteString load = hello.getModelLoad();
            PersistentMasks masks;
            synchronized (loads) {
                if (load.isEmpty()) {
                    if (id != 0) {
                        throw new IllegalArgumentException("only party 0 starts a model load");
                    }
                    load = Sessions.newId();
                    loads.put(load, PersistentMasks.fresh());
                    while (loads.size() > MAX_LOADS) {
                        loads.remove(loads.keySet().iterator().next());
                    }
                    LOG.info("model load {} started by party 0", Sessions.hex(load));
                }
                masks = loads.get(load);
            }
            if (masks == null) {
                throw new IllegalArgumentException("unknown model load " + Sessions.hex(load)
                        + " (the dealer restarted or forgot it): restart party 0 to load the model again");
            }
            PersistentMasks m = masks;
            Session s = sessions.computeIfAbsent(c.sessionId(),
                    k -> new Session(new Dealer(Prg.freshSeed(), Prg.freshSeed(), m), System.nanoTime()));
            c.send("seeds", SeedGrant.newBuilder().setModelLoad(load)
                    .setSessionSeed(ByteString.copyFrom(s.dealer().seedFor(id)))
                    .setPersistentSeed(ByteString.copyFrom(s.dealer().persistentSeedFor(id))).build().toByteArray());
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
            Correlation corr = CorrelationRegistry.create(r.getKind(),
                    r.getParametersList().stream().mapToLong(Long::longValue).toArray());
            long[][] parts = dealer.corrections(corr);
            long total = 0;
            for (long[] p : parts) {
                total += p.length;
            }
            if (8 * total > c.limits().maxMessageBytes()) {
                throw new IllegalArgumentException("correlation " + r.getKind() + " needs " + 8 * total
                        + " bytes of corrections, above the message limit");
            }
            long[] all = new long[(int) total];
            int pos = 0;
            for (long[] p : parts) {
                System.arraycopy(p, 0, all, pos, p.length);
                pos += p.length;
            }
            c.send("corrections", TensorCodec.pack(all));
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
