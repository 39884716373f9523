package dev.secformer.nn.secure;

import dev.secformer.core.CostReport;
import dev.secformer.core.Prg;
import dev.secformer.core.RingTensor;
import dev.secformer.core.TwoPartyRuntime;

/**
 * A secure BERT in the in-process simulator: the model owner's shares are loaded once into a
 * {@link TwoPartyRuntime.Session}; each {@link #infer} is one client request with its own cost.
 */
public final class InProcessBert implements AutoCloseable {
    /** One inference: the last hidden state {@code [B*n, H]} row-major, and what it cost. */
    public record Inference(double[] hidden, CostReport cost, long dealerBytes, long dealerNanos, long inputBytes,
                            long outputBytes, double seconds) {
    }

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

    public Inference infer(int[][] tokenIds, int[][] typeIds, boolean[][] valid) {
        ClientShares in = ClientShares.share(tokenIds, typeIds, valid, vocab, typeVocab, Prg.fresh());
        long start = System.nanoTime();
        TwoPartyRuntime.Result<RingTensor> r = session.run(p -> model.forward(p, loaded[p.id()], in.forParty(p.id())).share());
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] hidden = ClientShares.reveal(r.party0(), r.party1(), runtime.fixedPoint());
        return new Inference(hidden, r.cost(), r.dealerBytes(), r.dealerNanos(), 2 * in.bytesPerParty(),
                2L * 8 * hidden.length, seconds);
    }

    @Override
    public void close() {
        session.close();
    }
}
