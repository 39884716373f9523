package dev.secformer.nn.secure;

import dev.secformer.core.ObliviousLookup;
import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Truncation;
import dev.secformer.protocols.SecureTanh;

/**
 * The BERT encoder on secret shares. Each party calls {@link #forward} with its share of the
 * input and of the loaded model; costs are recorded under the layer kinds "embedding", "linear",
 * "attention" (the two secret-by-secret products), "softmax", "GeLU" and "LayerNorm".
 *
 * <p>Per encoder layer: Q K V = X W_qkv + b (one opening of X); scores = Q K^T (Q pre-scaled by
 * 1/sqrt(d)); P = softmax(scores) with padded keys masked; context = P V; X1 = LN(X + context W_o
 * + b_o); X2 = LN(X1 + GeLU(X1 W_1 + b_1) W_2 + b_2). Rounds per layer: 5 product rounds plus those
 * of the softmax, the GeLU and two LayerNorms.
 */
public final class SecureBert {
    private final ProtocolSuite suite;
    private final SecureTanh tanh = new SecureTanh();

    public SecureBert(ProtocolSuite suite) {
        this.suite = suite;
    }

    /** The tanh of the pooler (its reference gives the plaintext counterpart). */
    public SecureTanh tanh() {
        return tanh;
    }

    public ProtocolSuite suite() {
        return suite;
    }

    /**
     * A party's share of one inference's input: the token ids as digits {@code [B*n, 2]} of
     * {@link ObliviousLookup#digits}, the token types as one-hot rows {@code [B*n, T]} (T is 2 in
     * BERT) and the public padding mask.
     */
    public record Input(SharedTensor wordDigits, SharedTensor typeOneHot, boolean[][] valid) {
        /** Sequences in the batch. */
        public int batch() {
            return valid.length;
        }

        /** Tokens per sequence (padded length). */
        public int seq() {
            return valid[0].length;
        }
    }

    /**
     * The last hidden state {@code [B*n, H]} (fixed-point shares).
     *
     * @param in shares of the token ids' digits {@code [B*n, 2]} and of the token types' one-hot rows
     *           {@code [B*n, T]}, and the public padding mask {@code valid[b][i]}
     */
    public SharedTensor forward(Party p, LoadedBert m, Input in) {
        int batch = in.batch();
        int seq = in.seq();
        checkInput(m, in);
        SharedTensor h;
        try (var ph = p.phase("embedding")) {
            ProductBatch b = new ProductBatch(p);
            b.add(ObliviousLookup.start(p, in.wordDigits(), m.word)); // its first round: the digits' offsets
            b.matmulWeight(in.typeOneHot(), m.tokenType);
            SharedTensor[] e = b.run(); // one-hot (integer) times table (fixed point): no truncation
            RingTensor pos = m.position.slice(0, 0, seq);
            RingTensor tiled = RingTensor.concat(0, java.util.Collections.nCopies(batch, pos).toArray(RingTensor[]::new));
            h = e[0].add(e[1]).add(new SharedTensor(p.id(), tiled));
        }
        SharedTensor embedded = h;
        h = named("embedding LayerNorm", () -> {
            try (var ph = p.phase("LayerNorm")) {
                return suite.embeddingLayerNorm().apply(p, embedded, m.embLnGamma, m.embLnBeta);
            }
        });
        RingTensor keyMask = AttentionHeads.keyMask(in.valid(), m.heads);
        for (int i = 0; i < m.layers.size(); i++) {
            LoadedBert.Layer layer = m.layers.get(i);
            SharedTensor input = h;
            h = named("encoder layer " + i, () -> encoderLayer(p, m, layer, input, keyMask, batch, seq));
        }
        return h;
    }

    /**
     * Runs one step of the model, naming it in the message of a failure for bad input (check mode,
     * {@code RangeCheck}, names the protocol and the value; this adds where in the model).
     */
    private static SharedTensor named(String step, java.util.function.Supplier<SharedTensor> body) {
        try {
            return body.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(step + ": " + e.getMessage(), e);
        }
    }

    /** One encoder layer: attention, residual and LayerNorm, feed-forward, residual and LayerNorm. */
    private SharedTensor encoderLayer(Party p, LoadedBert m, LoadedBert.Layer layer, SharedTensor h, RingTensor keyMask,
                                      int batch, int seq) {
        int f = p.fixedPoint().fractionBits();
        SharedTensor qkv;
        try (var ph = p.phase("linear")) {
            qkv = linear(p, h, layer.qkv(), layer.qkvBias(), f);
        }
        int hidden = m.hidden;
        SharedTensor q = AttentionHeads.split(qkv.slice(1, 0, hidden), batch, seq, m.heads);
        SharedTensor k = AttentionHeads.split(qkv.slice(1, hidden, 2 * hidden), batch, seq, m.heads);
        SharedTensor v = AttentionHeads.split(qkv.slice(1, 2 * hidden, 3 * hidden), batch, seq, m.heads);
        SharedTensor scores; // Q K^T before its truncation, which the softmax makes
        try (var ph = p.phase("attention")) {
            ProductBatch b = new ProductBatch(p);
            b.matmul(q, k, false, true);
            scores = b.run()[0];
        }
        SharedTensor probs;
        try (var ph = p.phase("softmax")) {
            probs = suite.softmax().applyUntruncated(p, scores, f, keyMask);
        }
        SharedTensor context;
        try (var ph = p.phase("attention")) {
            ProductBatch b = new ProductBatch(p);
            b.matmul(probs, v, false, false);
            context = AttentionHeads.merge(Truncation.truncate(p, b.run()[0], f), batch, m.heads);
        }
        SharedTensor attnOut; // at 2f bits: the LayerNorm truncates the residual sum on the way in
        try (var ph = p.phase("linear")) {
            attnOut = linearUntruncated(p, context, layer.output(), layer.outputBias(), f);
        }
        h = layerNorm(p, h.mulPublic(1L << f).add(attnOut), f, layer.ln1Gamma(), layer.ln1Beta());
        SharedTensor inter; // at 2f bits: the GeLU truncates it on the way in
        try (var ph = p.phase("linear")) {
            inter = linearUntruncated(p, h, layer.ffnIn(), layer.ffnInBias(), f);
        }
        try (var ph = p.phase("GeLU")) {
            inter = suite.gelu().applyUntruncated(p, inter, f);
        }
        SharedTensor ffnOut;
        try (var ph = p.phase("linear")) {
            ffnOut = linearUntruncated(p, inter, layer.ffnOut(), layer.ffnOutBias(), f);
        }
        h = layerNorm(p, h.mulPublic(1L << f).add(ffnOut), f, layer.ln2Gamma(), layer.ln2Beta());
        return h;
    }

    /**
     * The head on the last hidden state {@code [B*n, H]}: pooled = tanh(h_[CLS] W_p + b_p) with
     * {@link SecureTanh}, then the classifier's logits {@code [B, labels]} if the model has one
     * (otherwise the pooled output {@code [B, H]}). Costs under "linear" and "tanh".
     */
    public SharedTensor head(Party p, LoadedBert m, SharedTensor hidden, int batch, int seq) {
        if (!m.hasHead()) {
            throw new IllegalArgumentException("the model has no pooler");
        }
        int f = p.fixedPoint().fractionBits();
        SharedTensor[] cls = new SharedTensor[batch];
        for (int b = 0; b < batch; b++) {
            cls[b] = hidden.slice(0, b * seq, b * seq + 1);
        }
        SharedTensor pooled;
        try (var ph = p.phase("linear")) {
            pooled = linear(p, SharedTensor.concat(0, cls), m.pooler, m.poolerBias, f);
        }
        try (var ph = p.phase("tanh")) {
            pooled = tanh.apply(p, pooled);
        }
        if (m.classifier == null) {
            return pooled;
        }
        try (var ph = p.phase("linear")) {
            return linear(p, pooled, m.classifier, m.classifierBias, f);
        }
    }

    /** The LayerNorm of {@code raw / 2^bits}. */
    private SharedTensor layerNorm(Party p, SharedTensor raw, int bits, SharedTensor gamma, SharedTensor beta) {
        try (var ph = p.phase("LayerNorm")) {
            return suite.layerNorm().applyUntruncated(p, raw, bits, gamma, beta);
        }
    }

    private static SharedTensor linear(Party p, SharedTensor x, dev.secformer.core.FixedWeight w, SharedTensor bias, int f) {
        return Truncation.truncate(p, product(p, x, w), f).add(bias);
    }

    /** {@code x w + bias} at 2f fractional bits, not yet truncated. */
    private static SharedTensor linearUntruncated(Party p, SharedTensor x, dev.secformer.core.FixedWeight w, SharedTensor bias,
                                                  int f) {
        return product(p, x, w).add(bias.mulPublic(1L << f));
    }

    /** {@code x w}, the raw ring product (one round). */
    private static SharedTensor product(Party p, SharedTensor x, dev.secformer.core.FixedWeight w) {
        ProductBatch b = new ProductBatch(p);
        b.matmulWeight(x, w);
        return b.run()[0];
    }

    static boolean anyValid(boolean[] row) {
        for (boolean v : row) {
            if (v) {
                return true;
            }
        }
        return false;
    }

    private static void checkInput(LoadedBert m, Input in) {
        int rows = in.batch() * in.seq();
        if (in.batch() == 0 || in.seq() == 0) {
            throw new IllegalArgumentException("empty input: batch " + in.batch() + ", sequence length " + in.seq());
        }
        for (int b = 0; b < in.batch(); b++) {
            boolean[] row = in.valid()[b];
            if (row.length != in.seq()) {
                throw new IllegalArgumentException("padding mask rows have different lengths");
            }
            if (!anyValid(row)) { // its attention rows would divide by an empty sum
                throw new IllegalArgumentException("sequence " + b + " has no valid token in its padding mask");
            }
        }
        if (in.seq() > m.maxPositions()) {
            throw new IllegalArgumentException("sequence length " + in.seq() + " exceeds the model's maximum " + m.maxPositions());
        }
        int[] w = in.wordDigits().shape();
        int[] t = in.typeOneHot().shape();
        if (w.length != 2 || w[0] != rows || w[1] != 2) {
            throw new IllegalArgumentException("word digits must have shape [" + rows + ", 2], got "
                    + java.util.Arrays.toString(w));
        }
        if (t.length != 2 || t[0] != rows || t[1] != m.typeVocabSize()) {
            throw new IllegalArgumentException("token-type one-hot must have shape [" + rows + ", " + m.typeVocabSize()
                    + "], got " + java.util.Arrays.toString(t));
        }
    }
}
