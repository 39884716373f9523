package dev.secformer.nn.train;

import dev.secformer.nn.BertConfig;
import dev.secformer.nn.BertWeights;
import dev.secformer.nn.ReferenceBert;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * BERT as a differentiable ND4J SameDiff graph for training: the same layout and arithmetic as
 * {@link dev.secformer.nn.FloatBert} (exact erf GeLU, LayerNorm with the config's epsilon), with
 * softmax or 2Quad attention, and the intermediate values distillation compares: every layer's
 * pre-softmax attention scores and every hidden state from the embedding output on.
 *
 * <p>The graph is built for one sequence length n; the batch size is free. Placeholders, filled by
 * {@link #feed}: {@code words} (the word embeddings of the batch's tokens, [B n, H], row-major by
 * sequence), {@code types} (INT, [B n]), {@code keep} ([B, n], 1 for a real token and 0 for
 * padding). Trainable variables are every weight but the word-embedding table, named by their
 * {@link BertWeights} key with dots replaced by underscores ({@link #variable(String)}). The table
 * stays the teacher's: it has nothing to do with the softmax that distillation replaces, it is
 * most of a small model's parameters (30522 x H), and ND4J 1.0.0-M2.1 cannot differentiate the
 * gather that would read it inside the graph.
 *
 * <p>Outputs, named so that a teacher graph and a student graph agree: {@link #scores(int)}
 * ({@code scores_l}, [B, heads, n, n], padded rows and columns zeroed), {@link #hidden(int)}
 * ({@code hidden_l}, [B n, H], padded rows zeroed; 0 is the embedding output),
 * {@link #meanPooled()} ({@code pooled}, [B, H], the mean of the real tokens' last hidden states),
 * and with a head {@link #logits()} ({@code logits}, [B, labels]: tanh pooler on [CLS], then the
 * classifier).
 */
public final class BertGraph {
    /** 2Quad's shift: (s + c)^2, as in the secure protocol and {@link ReferenceBert}. */
    public static final double QUAD_SHIFT = 5;
    private static final double MASKED = -1e4;

    private final SameDiff sd = SameDiff.create();
    private final BertConfig config;
    private final ReferenceBert.Attention attention;
    private final int seq;
    private final DataType type;
    private static final String WORDS = "embeddings.word";

    private final Map<String, SDVariable> weights = new LinkedHashMap<>();
    private INDArray wordTable;
    private final List<SDVariable> scores = new ArrayList<>();
    private final List<SDVariable> hidden = new ArrayList<>();
    private final SDVariable pooled;
    private final SDVariable logits;

    /**
     * @param w         initial weights (copied into the graph); a pooler and classifier give a head
     * @param seq       the sequence length n of every batch
     * @param type      FLOAT for training, DOUBLE for gradient checks
     */
    public BertGraph(BertWeights w, ReferenceBert.Attention attention, int seq, DataType type) {
        this.config = w.config();
        this.attention = attention;
        this.seq = seq;
        this.type = type;
        if (seq < 1 || seq > config.maxPositions()) {
            throw new IllegalArgumentException("sequence length " + seq + " is outside [1, " + config.maxPositions() + "]");
        }
        int h = config.hidden();
        for (Map.Entry<String, float[]> e : w.tensors().entrySet()) {
            INDArray value = Nd4j.create(e.getValue(), shapeOf(e.getKey(), e.getValue().length)).castTo(type);
            if (e.getKey().equals(WORDS)) {
                wordTable = value;
            } else {
                weights.put(e.getKey(), sd.var(variable(e.getKey()), value));
            }
        }
        SDVariable types = sd.placeHolder("types", DataType.INT, -1);
        SDVariable keep = sd.placeHolder("keep", type, -1, seq);
        SDVariable keepRows = keep.reshape(-1, 1);
        // No gather: its gradient (a loop of assignments) fails in ND4J 1.0.0-M2.1. The word
        // embeddings are looked up outside the graph and fed (the table is frozen, see the class
        // comment); positions and token types are products with constant / one-hot selections.
        SDVariable words = sd.placeHolder("words", type, -1, h);
        SDVariable firstPositions = sd.constant("first_positions",
                Nd4j.eye(config.maxPositions()).get(NDArrayIndex.interval(0, seq), NDArrayIndex.all()).dup().castTo(type));
        SDVariable posEmb = firstPositions.mmul(weights.get("embeddings.position"));
        SDVariable typeEmb = sd.oneHot(types, config.typeVocabSize(), -1, 1.0, 0.0, type)
                .mmul(weights.get("embeddings.token_type"));
        SDVariable x = words.add(typeEmb).reshape(-1, seq, h).add(posEmb).reshape(-1, h);
        x = layerNorm(x, "embeddings.ln");
        hidden.add(x.mul(keepRows).rename("hidden_0"));

        SDVariable keys = keep.reshape(-1, 1, 1, seq);
        SDVariable both = keep.reshape(-1, 1, seq, 1).mul(keys);
        SDVariable additive = keys.rsub(1.0).mul(MASKED);
        int heads = config.heads();
        int d = h / heads;
        for (int l = 0; l < config.layers(); l++) {
            SDVariable q = split(linear(x, l + ".query"), heads, d);
            SDVariable k = split(linear(x, l + ".key"), heads, d);
            SDVariable v = split(linear(x, l + ".value"), heads, d);
            SDVariable s = sd.mmul(q, k, false, true, false).mul(1 / Math.sqrt(d));  // [B, heads, n, n]
            scores.add(s.mul(both).rename("scores_" + l));
            SDVariable p;
            if (attention == ReferenceBert.Attention.SOFTMAX) {
                p = sd.nn.softmax(s.add(additive), 3);
            } else {
                SDVariable e = s.add(QUAD_SHIFT).mul(s.add(QUAD_SHIFT)).mul(keys);
                p = e.div(e.sum(true, 3));
            }
            SDVariable ctx = sd.mmul(p, v).permute(0, 2, 1, 3).reshape(-1, h);
            x = layerNorm(x.add(linear(ctx, l + ".attention_output")), l + ".attention_ln");
            SDVariable inner = gelu(linear(x, l + ".ffn_in"));
            x = layerNorm(x.add(linear(inner, l + ".ffn_out")), l + ".output_ln");
            hidden.add(x.mul(keepRows).rename("hidden_" + (l + 1)));
        }
        SDVariable last = x.reshape(-1, seq, h).mul(keep.reshape(-1, seq, 1));
        pooled = last.sum(1).div(keep.sum(true, 1)).rename("pooled");
        if (weights.containsKey("classifier.weight")) {
            SDVariable cls = x.reshape(-1, seq, h).get(SDIndex.all(), SDIndex.point(0), SDIndex.all());
            SDVariable pool = sd.math.tanh(linear(cls, "pooler"));
            logits = linear(pool, "classifier").rename("logits");
        } else {
            logits = null;
        }
    }

    /** The graph variable name of a {@link BertWeights} key. */
    public static String variable(String key) {
        return "w_" + key.replace('.', '_');
    }

    private long[] shapeOf(String key, int length) {
        int h = config.hidden();
        if (key.startsWith("embeddings.") && !key.startsWith("embeddings.ln")) {
            return new long[] {length / h, h};
        }
        if (key.endsWith(".weight")) {
            long in = key.contains("ffn_out") ? config.intermediate() : h;
            return new long[] {in, length / in};
        }
        return new long[] {length};
    }

    private SDVariable linear(SDVariable x, String name) {
        return x.mmul(weights.get(name + ".weight")).add(weights.get(name + ".bias"));
    }

    /** [B n, H] to [B, heads, n, d]. */
    private SDVariable split(SDVariable x, int heads, int d) {
        return x.reshape(-1, seq, heads, d).permute(0, 2, 1, 3);
    }

    private SDVariable layerNorm(SDVariable x, String name) {
        // positive axes: ND4J 1.0.0-M2.1 reduces over the wrong elements for axis -1 with keepDims
        SDVariable centred = x.sub(x.mean(true, 1));
        SDVariable var = centred.mul(centred).mean(true, 1);
        return centred.div(sd.math.sqrt(var.add(config.layerNormEps())))
                .mul(weights.get(name + ".gamma")).add(weights.get(name + ".beta"));
    }

    /** The exact GeLU, x Phi(x) = x (1 + erf(x / sqrt 2)) / 2. */
    private SDVariable gelu(SDVariable x) {
        return x.mul(sd.math.erf(x.mul(1 / Math.sqrt(2))).add(1.0)).mul(0.5);
    }

    public SameDiff sameDiff() {
        return sd;
    }

    public BertConfig config() {
        return config;
    }

    public ReferenceBert.Attention attention() {
        return attention;
    }

    public int seq() {
        return seq;
    }

    public DataType dataType() {
        return type;
    }

    public SDVariable scores(int layer) {
        return scores.get(layer);
    }

    public SDVariable hidden(int index) {
        return hidden.get(index);
    }

    public SDVariable meanPooled() {
        return pooled;
    }

    /** The classifier's logits, or null for an encoder without a head. */
    public SDVariable logits() {
        return logits;
    }

    /** Names of the trainable variables, in a fixed order. */
    public List<String> variableNames() {
        List<String> names = new ArrayList<>();
        for (String key : weights.keySet()) {
            names.add(variable(key));
        }
        return names;
    }

    /** The placeholder values of a batch. */
    public Map<String, INDArray> feed(Batch b) {
        if (b.seq() != seq) {
            throw new IllegalArgumentException("batch of length " + b.seq() + " for a graph of length " + seq);
        }
        for (int id : b.ids()) {
            if (id < 0 || id >= config.vocabSize()) {
                throw new IllegalArgumentException("token id " + id + " is outside [0, " + config.vocabSize() + ")");
            }
        }
        return Map.of("words", wordTable.getRows(b.ids()), "types", Nd4j.createFromArray(b.types()),
                "keep", Nd4j.create(b.keep(), new long[] {b.size(), seq}, 'c').castTo(type));
    }

    /** The current weights as a {@link BertWeights} (float32 copies). */
    public BertWeights weights() {
        Map<String, float[]> out = new LinkedHashMap<>();
        out.put(WORDS, wordTable.castTo(DataType.FLOAT).dup('c').data().asFloat());
        for (Map.Entry<String, SDVariable> e : weights.entrySet()) {
            out.put(e.getKey(), e.getValue().getArr().castTo(DataType.FLOAT).dup('c').data().asFloat());
        }
        return new BertWeights(config, out, "trained graph");
    }
}
