package dev.secformer.service;

import dev.secformer.core.Party;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import dev.secformer.net.PartyServer;
import dev.secformer.nn.secure.BertShares;
import dev.secformer.nn.secure.ClientShares;
import dev.secformer.nn.secure.LoadedBert;
import dev.secformer.nn.secure.ProtocolSuite;
import dev.secformer.nn.secure.SecureBert;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Secure BERT as a party service. Inputs (named tensors): {@code word} and {@code type}, this party's
 * shares of the token ids' digits {@code [B*n, 2]} and of the one-hot token-type rows {@code [B*n, T]},
 * {@code vocab}, the vocabulary size the client split its ids for, and
 * {@code valid}, the public padding mask {@code [B, n]} of 0/1. Outputs: {@code hidden}, the shares of
 * the last hidden state {@code [B*n, H]}, and {@code head} (pooled output or logits) when the model has one.
 * Both parties run it: the {@code party} command of the CLI, {@link LoopbackBert} in tests and benchmarks.
 */
public final class BertService implements PartyServer.Service<LoadedBert> {
    /** Input: this party's share of the token ids' digits {@code [B*n, 2]} ({@link dev.secformer.core.ObliviousLookup#digits}). */
    public static final String WORD = "word";
    /** Input: this party's share of the one-hot token-type rows {@code [B*n, T]}. */
    public static final String TYPE = "type";
    /** Input: the vocabulary size {@code [1]} the client split its token ids for (public). */
    public static final String VOCAB = "vocab";
    /** Input: the public padding mask {@code [B, n]} of 0/1. */
    public static final String VALID = "valid";
    /** Output: this party's share of the last hidden state {@code [B*n, H]}. */
    public static final String HIDDEN = "hidden";
    /** Output: this party's share of the head's output, when the model has a head. */
    public static final String HEAD = "head";

    private final BertShares shares;
    private final SecureBert model;

    /** A party's service for its model {@code shares}, run with {@code suite} (the same at both parties). */
    public BertService(BertShares shares, ProtocolSuite suite) {
        this.shares = shares;
        this.model = new SecureBert(suite);
    }

    @Override
    public LoadedBert load(Party party) {
        return LoadedBert.load(party, shares, 1);
    }

    @Override
    public Map<String, RingTensor> infer(Party p, LoadedBert m, Map<String, RingTensor> in) {
        RingTensor word = required(in, WORD);
        RingTensor type = required(in, TYPE);
        RingTensor valid = required(in, VALID);
        RingTensor vocab = required(in, VOCAB);
        if (vocab.size() != 1 || vocab.data()[0] != m.vocabSize()) {
            throw new IllegalArgumentException("the request's token ids were split for a vocabulary of "
                    + (vocab.size() == 1 ? vocab.data()[0] : Arrays.toString(vocab.shape())) + " words; the model has "
                    + m.vocabSize());
        }
        if (valid.shape().length != 2 || valid.dim(0) < 1 || valid.dim(1) < 1 || valid.dim(1) > m.maxPositions()) {
            throw new IllegalArgumentException("\"valid\" must have shape [batch, n] with 1 <= n <= " + m.maxPositions()
                    + ", got " + Arrays.toString(valid.shape()));
        }
        int batch = valid.dim(0);
        int seq = valid.dim(1);
        expect(word, WORD, batch * seq, 2);
        expect(type, TYPE, batch * seq, m.typeVocabSize());
        boolean[][] mask = new boolean[batch][seq];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < seq; i++) {
                long v = valid.data()[b * seq + i];
                if (v != 0 && v != 1) {
                    throw new IllegalArgumentException("\"valid\" must hold 0 or 1, got " + v);
                }
                mask[b][i] = v == 1;
            }
        }
        SharedTensor h = model.forward(p, m, new SecureBert.Input(new SharedTensor(p.id(), word),
                new SharedTensor(p.id(), type), mask));
        Map<String, RingTensor> out = new LinkedHashMap<>();
        out.put(HIDDEN, h.share());
        if (m.hasHead()) {
            out.put(HEAD, model.head(p, m, h, batch, seq).share());
        }
        return out;
    }

    /** The named inputs for party {@code id} of a shared client request. */
    public static Map<String, RingTensor> inputs(ClientShares shares, int id) {
        boolean[][] v = shares.valid();
        long[] mask = new long[v.length * v[0].length];
        for (int b = 0; b < v.length; b++) {
            for (int i = 0; i < v[b].length; i++) {
                mask[b * v[b].length + i] = v[b][i] ? 1 : 0;
            }
        }
        Map<String, RingTensor> in = new LinkedHashMap<>();
        in.put(WORD, shares.wordShare(id));
        in.put(VOCAB, RingTensor.of(new long[] {shares.vocabSize()}, 1));
        in.put(TYPE, shares.typeShare(id));
        in.put(VALID, RingTensor.of(mask, v.length, v[0].length));
        return in;
    }

    private static RingTensor required(Map<String, RingTensor> in, String name) {
        RingTensor t = in.get(name);
        if (t == null) {
            throw new IllegalArgumentException("missing input \"" + name + "\"");
        }
        return t;
    }

    private static void expect(RingTensor t, String name, int rows, int cols) {
        if (t.shape().length != 2 || t.dim(0) != rows || t.dim(1) != cols) {
            throw new IllegalArgumentException("\"" + name + "\" must have shape [" + rows + ", " + cols + "], got "
                    + Arrays.toString(t.shape()));
        }
    }
}
