package dev.secformer.net;

import com.google.protobuf.ByteString;
import dev.secformer.core.ChannelException;
import dev.secformer.core.Correlation;
import dev.secformer.core.CorrelationPlan;
import dev.secformer.core.CostMeter;
import dev.secformer.core.DealerLink;
import dev.secformer.core.PreparedRandomness;
import dev.secformer.core.SeededRandomness;
import dev.secformer.net.proto.Hello;
import dev.secformer.net.proto.PlanRecipes;
import dev.secformer.net.proto.PrepareRequest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Party 1's OFFLINE connection to the {@link DealerServer} for one model load: it registers each plan
 * once and, for each prepared run, asks for the run and prepares it while the dealer streams the
 * corrections. Nothing here happens while a client waits. A connection that fails is dropped and a
 * new one is opened for the next run (plans are registered again).
 */
final class OfflineDealer implements AutoCloseable {
    private final Endpoint endpoint;
    private final InetSocketAddress dealer;
    private final ByteString modelLoad;
    private final byte[] offlineSeed;
    private final byte[] persistentSeed;
    private FrameConnection connection;
    /** The plans the dealer holds for this connection: it forgets the oldest beyond its limit, and so does this. */
    private final Set<ByteString> registered = new LinkedHashSet<>();

    OfflineDealer(Endpoint endpoint, InetSocketAddress dealer, ByteString modelLoad, byte[] offlineSeed, byte[] persistentSeed) {
        this.endpoint = endpoint;
        this.dealer = dealer;
        this.modelLoad = modelLoad;
        this.offlineSeed = offlineSeed.clone();
        this.persistentSeed = persistentSeed.clone();
    }

    /** Party 1's material for run {@code run} of instance {@code instance} of {@code plan}, its corrections streamed by the dealer. */
    synchronized PreparedRandomness prepare(CorrelationPlan plan, long instance, long run) throws InterruptedException {
        try {
            FrameConnection c = connection();
            ByteString fingerprint = ByteString.copyFrom(plan.fingerprint());
            if (registered.add(fingerprint)) {
                if (registered.size() > DealerServer.MAX_PLANS) {
                    registered.remove(registered.iterator().next());
                }
                PlanRecipes.Builder b = PlanRecipes.newBuilder();
                for (Correlation r : plan.recipes()) {
                    b.addRecipes(Recipes.request(r));
                }
                c.send("plan", b.build().toByteArray());
            }
            c.send("prepare", PrepareRequest.newBuilder().setPlanFingerprint(fingerprint).setPlanInstance(instance).setRun(run)
                    .build().toByteArray());
            StreamedCorrections link = new StreamedCorrections(c);
            PreparedRandomness r = PreparedRandomness.prepare(plan,
                    new SeededRandomness(1, plan.runSeed(offlineSeed, instance, run), persistentSeed, link, new CostMeter()), 1);
            link.checkUsedUp();
            return r;
        } catch (RuntimeException | InterruptedException e) {
            drop();
            throw e;
        }
    }

    private FrameConnection connection() {
        if (connection == null || connection.failure() != null) {
            drop();
            connection = endpoint.connect(dealer, Role.DEALER, Hello.newBuilder().setPurpose(Hello.Purpose.OFFLINE)
                    .setSessionId(Sessions.newId()).setModelLoad(modelLoad).build());
        }
        return connection;
    }

    private void drop() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        registered.clear();
    }

    @Override
    public synchronized void close() {
        drop();
    }

    /** The corrections of one run as the dealer streams them: whole recipes, in plan order. */
    private static final class StreamedCorrections implements DealerLink {
        private final FrameConnection connection;
        private ByteBuffer words = ByteBuffer.allocate(0);

        StreamedCorrections(FrameConnection connection) {
            this.connection = connection;
        }

        @Override
        public long[][] corrections(Correlation c) {
            long[][] out = new long[c.derivedParts().size()][];
            if (out.length == 0) {
                return out;
            }
            if (!words.hasRemaining()) {
                words = ByteBuffer.wrap(connection.receive("corrections")).order(ByteOrder.LITTLE_ENDIAN);
            }
            for (int i = 0; i < out.length; i++) {
                int n = c.derivedParts().get(i).size();
                if (words.remaining() < 8L * n) {
                    throw new ChannelException("the dealer's corrections do not match the plan at " + c.kind()
                            + ": " + words.remaining() + " bytes left in the message, " + 8L * n + " needed");
                }
                out[i] = new long[n];
                words.asLongBuffer().get(out[i]);
                words.position(words.position() + 8 * n);
            }
            return out;
        }

        void checkUsedUp() {
            if (words.hasRemaining()) {
                throw new ChannelException("the dealer sent " + words.remaining() + " bytes of corrections beyond the plan");
            }
        }
    }
}
