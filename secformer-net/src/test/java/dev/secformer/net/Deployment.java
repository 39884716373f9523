package dev.secformer.net;

import dev.secformer.core.FixedPoint;
import dev.secformer.core.FixedWeight;
import dev.secformer.core.Party;
import dev.secformer.core.Prg;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Sharing;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A dealer, two parties and a client endpoint on loopback, serving a secret product x W with a
 * secret weight W loaded once (its mask opened at load, persistent across sessions).
 */
final class Deployment implements AutoCloseable {
    static final int K = 6;
    static final int N = 4;

    /** x W for an input x of shape [rows, K]; input "stall" makes party 1 sleep, "fail" makes it throw mid-protocol. */
    static final class ProductService implements PartyServer.Service<FixedWeight> {
        private final RingTensor share;

        ProductService(RingTensor share) {
            this.share = share;
        }

        @Override
        public FixedWeight load(Party p) {
            return FixedWeight.prepareAll(p, new SharedTensor[] {new SharedTensor(p.id(), share)}, new long[] {7})[0];
        }

        @Override
        public Map<String, RingTensor> infer(Party p, FixedWeight w, Map<String, RingTensor> in) throws Exception {
            RingTensor x = in.get("x");
            if (x == null || x.shape().length != 2 || x.dim(1) != K) {
                throw new IllegalArgumentException("expected an input \"x\" of shape [rows, " + K + "]");
            }
            ProductBatch b = new ProductBatch(p);
            int first = b.matmulWeight(new SharedTensor(p.id(), x), w);
            SharedTensor y = b.run()[first];
            if (p.id() == 1 && in.containsKey("stall")) {
                Thread.sleep(8_000);
            }
            if (p.id() == 1 && in.containsKey("fail")) {
                throw new IllegalStateException("party 1 broke down");
            }
            ProductBatch b2 = new ProductBatch(p);
            int second = b2.matmulWeight(new SharedTensor(p.id(), x), w);
            return Map.of("y", y.share(), "y2", b2.run()[second].share());
        }
    }

    final RingTensor weight = random(new SplittableRandom(3), K, N);
    final Endpoint dealerEnd;
    final Endpoint end0;
    final Endpoint end1;
    final Endpoint clientEnd;
    final DealerServer dealer;
    final PartyServer<FixedWeight> party0;
    final PartyServer<FixedWeight> party1;
    final InferenceClient client;

    Deployment(NetLimits limits) throws Exception {
        this(limits, 16);
    }

    Deployment(NetLimits limits, int maxSessions) throws Exception {
        RingTensor[] w = Sharing.split(weight, Prg.fresh());
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        dealerEnd = new Endpoint("dealer", TestPki.tls("dealer"), limits);
        end0 = new Endpoint("party0", TestPki.tls("party0"), limits);
        end1 = new Endpoint("party1", TestPki.tls("party1"), limits);
        clientEnd = new Endpoint("client", TestPki.tls("client-alice"), limits);
        dealer = new DealerServer(dealerEnd, any);
        party1 = new PartyServer<>(new PartyServer.Config(1, any, null, dealer.address(), maxSessions, FixedPoint.standard(), 1, null), end1,
                new ProductService(w[1])).start(Duration.ZERO);
        party0 = new PartyServer<>(new PartyServer.Config(0, any, party1.address(), dealer.address(), maxSessions, FixedPoint.standard(), 1, null),
                end0, new ProductService(w[0])).start(Duration.ofSeconds(10));
        client = new InferenceClient(clientEnd, party0.address(), party1.address());
    }

    static RingTensor random(SplittableRandom rnd, int... shape) {
        RingTensor t = RingTensor.zeros(shape);
        long[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = rnd.nextLong();
        }
        return t;
    }

    /** One inference of x W through the servers; returns the reconstructed y (and checks y2 = y). */
    RingTensor product(RingTensor x, Map<String, RingTensor> extra) {
        return product(answer(x, extra));
    }

    /** The parties' answer to a request for x W. */
    InferenceClient.Answer answer(RingTensor x, Map<String, RingTensor> extra) {
        RingTensor[] s = Sharing.split(x, Prg.fresh());
        Map<String, RingTensor> in0 = new java.util.HashMap<>(extra);
        Map<String, RingTensor> in1 = new java.util.HashMap<>(extra);
        in0.put("x", s[0]);
        in1.put("x", s[1]);
        return client.infer(in0, in1);
    }

    /** The product an answer reconstructs to (both of the session's products, which must agree). */
    static RingTensor product(InferenceClient.Answer a) {
        RingTensor y = Sharing.reconstruct(a.outputs0().get("y"), a.outputs1().get("y"));
        if (!y.equals(Sharing.reconstruct(a.outputs0().get("y2"), a.outputs1().get("y2")))) {
            throw new AssertionError("two products of one session differ");
        }
        return y;
    }

    @Override
    public void close() {
        party0.close();
        party1.close();
        dealer.close();
        for (Endpoint e : new Endpoint[] {end0, end1, dealerEnd, clientEnd}) {
            e.close();
        }
    }
}
