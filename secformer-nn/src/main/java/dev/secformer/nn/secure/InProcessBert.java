package dev.secformer.nn.secure;

import dev.secformer.core.CostReport;
import dev.secformer.core.InferenceCost;
import dev.secformer.core.Prg;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.TwoPartyRuntime;

/**
 * A secure BERT in the in-process simulator: the model owner's shares are loaded once into a
 * {@link TwoPartyRuntime.Session}; each {@link #infer} is one client request with its own cost.
 *
 * <p>Offline and online phases as in a deployment: the first inference of an input shape (batch
 * and sequence length) draws its correlations inline and records them; later inferences of that
 * shape use correlations prepared before the request, by {@link #prepare} or, when none are
 * ready, right before the computation (reported as offline time, not online).
 */
public final class InProcessBert implements SecureBertClient {
    private final SecureBert model;
    private final TwoPartyRuntime runtime;
    private final TwoPartyRuntime.Session session;
    private final LoadedBert[] loaded = new LoadedBert[2];
    private final int vocab;
    private final int typeVocab;
    private final TwoPartyRuntime.Result<LoadedBert> load;

    /** Splits {@code weights} into shares and loads them (one round of weight openings). */
    public InProcessBert(PlainBertWeights weights, ProtocolSuite suite, TwoPartyRuntime runtime) {
        this.model = new SecureBert(suite);
        this.runtime = runtime;
        this.vocab = weights.vocabSize();
        this.typeVocab = weights.typeVocabSize();
        BertShares[] shares = ModelOwner.split(weights, runtime.fixedPoint(), Prg.fresh());
        this.session = runtime.openSession();
        this.load = session.run(p -> loaded[p.id()] = LoadedBert.load(p, shares[p.id()], 1));
    }

    /** Cost of loading the model (the one-time weight openings). */
    public CostReport loadCost() {
        return load.cost();
    }

    /** The plan of an input shape: the correlations an inference draws depend on its batch and length only. */
    private static String plan(int batch, int seq) {
        return "bert " + batch + "x" + seq;
    }

    /**
     * The offline phase: prepares the correlations of {@code count} inferences of {@code batch}
     * sequences of {@code seq} tokens. An inference of that shape must have run once (it records
     * what to prepare). Returns the wall time in seconds.
     */
    public double prepare(int batch, int seq, int count) {
        return session.prepare(plan(batch, seq), count) / 1e9;
    }

    @Override
    public BertInference infer(int[][] tokenIds, int[][] typeIds, boolean[][] valid) {
        ClientShares in = ClientShares.share(tokenIds, typeIds, valid, vocab, typeVocab, Prg.fresh());
        int batch = tokenIds.length;
        int seq = tokenIds[0].length;
        TwoPartyRuntime.Result<RingTensor[]> r = session.run(plan(batch, seq), p -> {
            SharedTensor h = model.forward(p, loaded[p.id()], in.forParty(p.id()));
            return loaded[p.id()].hasHead()
                    ? new RingTensor[] {h.share(), model.head(p, loaded[p.id()], h, batch, seq).share()}
                    : new RingTensor[] {h.share()};
        });
        double[] hidden = ClientShares.reveal(r.party0()[0], r.party1()[0], runtime.fixedPoint());
        double[] head = r.party0().length > 1 ? ClientShares.reveal(r.party0()[1], r.party1()[1], runtime.fixedPoint()) : null;
        long outputBytes = 2L * 8 * (hidden.length + (head == null ? 0 : head.length));
        return new BertInference(hidden, head, 2 * in.bytesPerParty(), outputBytes,
                new InferenceCost(r.cost(), r.onlineNanos() / 1e9, r.offlineNanos() / 1e9, r.prepared(), null));
    }

    @Override
    public void close() {
        session.close();
    }
}
