package dev.secformer.nn;

import dev.secformer.nn.secure.PlainBertWeights;
import java.util.Map;
import java.util.TreeMap;

/**
 * A BERT encoder's weights in one canonical layout: float arrays keyed by role, linear weights
 * {@code [in, out]}. Loaders (ONNX, Hugging Face) produce it; the reference and secure models read
 * it through {@link PlainBertWeights}.
 *
 * <p>Keys: {@code embeddings.word|position|token_type}, {@code embeddings.ln.gamma|beta}, and per
 * layer N {@code N.query|key|value|attention_output|ffn_in|ffn_out} with {@code .weight} and
 * {@code .bias}, {@code N.attention_ln.gamma|beta}, {@code N.output_ln.gamma|beta}; optionally
 * {@code pooler.weight|bias} and {@code classifier.weight|bias}.
 */
public final class BertWeights implements PlainBertWeights {
    private final BertConfig config;
    private final Map<String, float[]> tensors;

    /** Checks every tensor's presence and size against the configuration. */
    public BertWeights(BertConfig config, Map<String, float[]> tensors, String source) {
        this.config = config;
        this.tensors = new TreeMap<>(tensors);
        int h = config.hidden();
        int i = config.intermediate();
        expect(source, "embeddings.word", config.vocabSize() * (long) h);
        expect(source, "embeddings.position", config.maxPositions() * (long) h);
        expect(source, "embeddings.token_type", config.typeVocabSize() * (long) h);
        expect(source, "embeddings.ln.gamma", h);
        expect(source, "embeddings.ln.beta", h);
        for (int l = 0; l < config.layers(); l++) {
            for (String m : new String[] {"query", "key", "value", "attention_output"}) {
                expect(source, l + "." + m + ".weight", (long) h * h);
                expect(source, l + "." + m + ".bias", h);
            }
            expect(source, l + ".ffn_in.weight", (long) h * i);
            expect(source, l + ".ffn_in.bias", i);
            expect(source, l + ".ffn_out.weight", (long) i * h);
            expect(source, l + ".ffn_out.bias", h);
            for (String ln : new String[] {"attention_ln", "output_ln"}) {
                expect(source, l + "." + ln + ".gamma", h);
                expect(source, l + "." + ln + ".beta", h);
            }
        }
        expectOptional(source, "pooler.weight", (long) h * h);
        expectOptional(source, "pooler.bias", h);
        if (tensors.containsKey("classifier.bias")) {
            expect(source, "classifier.weight", (long) h * tensors.get("classifier.bias").length);
        }
        if (tensors.containsKey("pooler.weight") != tensors.containsKey("pooler.bias")
                || tensors.containsKey("classifier.weight") != tensors.containsKey("classifier.bias")
                || tensors.containsKey("classifier.weight") && !tensors.containsKey("pooler.weight")) {
            throw new IllegalArgumentException(source + ": incomplete pooler or classifier (a classifier needs the pooler)");
        }
    }

    private void expectOptional(String source, String key, long size) {
        if (tensors.containsKey(key)) {
            expect(source, key, size);
        }
    }

    private void expect(String source, String key, long size) {
        float[] t = tensors.get(key);
        if (t == null) {
            throw new IllegalArgumentException(source + ": missing weight " + key);
        }
        if (t.length != size) {
            throw new IllegalArgumentException(source + ": weight " + key + " has " + t.length + " values, expected "
                    + size + " for " + config);
        }
    }

    public BertConfig config() {
        return config;
    }

    /** The tensor of a key (see the class comment), not a copy. */
    public float[] tensor(String key) {
        float[] t = tensors.get(key);
        if (t == null) {
            throw new IllegalArgumentException("no weight " + key);
        }
        return t;
    }

    /** A copy of any weights in this layout (for instance synthetic ones), with the given epsilon. */
    public static BertWeights copyOf(PlainBertWeights w, double layerNormEps) {
        Map<String, float[]> t = new TreeMap<>();
        t.put("embeddings.word", w.wordEmbeddings());
        t.put("embeddings.position", w.positionEmbeddings());
        t.put("embeddings.token_type", w.tokenTypeEmbeddings());
        t.put("embeddings.ln.gamma", w.embeddingLnGamma());
        t.put("embeddings.ln.beta", w.embeddingLnBeta());
        for (int l = 0; l < w.layers(); l++) {
            t.put(l + ".query.weight", w.query(l));
            t.put(l + ".query.bias", w.queryBias(l));
            t.put(l + ".key.weight", w.key(l));
            t.put(l + ".key.bias", w.keyBias(l));
            t.put(l + ".value.weight", w.value(l));
            t.put(l + ".value.bias", w.valueBias(l));
            t.put(l + ".attention_output.weight", w.attentionOutput(l));
            t.put(l + ".attention_output.bias", w.attentionOutputBias(l));
            t.put(l + ".attention_ln.gamma", w.attentionLnGamma(l));
            t.put(l + ".attention_ln.beta", w.attentionLnBeta(l));
            t.put(l + ".ffn_in.weight", w.ffnIn(l));
            t.put(l + ".ffn_in.bias", w.ffnInBias(l));
            t.put(l + ".ffn_out.weight", w.ffnOut(l));
            t.put(l + ".ffn_out.bias", w.ffnOutBias(l));
            t.put(l + ".output_ln.gamma", w.outputLnGamma(l));
            t.put(l + ".output_ln.beta", w.outputLnBeta(l));
        }
        String[] head = {"pooler.weight", "pooler.bias", "classifier.weight", "classifier.bias"};
        float[][] values = {w.poolerWeight(), w.poolerBias(), w.classifierWeight(), w.classifierBias()};
        for (int i = 0; i < head.length; i++) {
            if (values[i] != null) {
                t.put(head[i], values[i]);
            }
        }
        return new BertWeights(new BertConfig(w.hidden(), w.layers(), w.heads(), w.intermediate(), w.vocabSize(),
                w.maxPositions(), w.typeVocabSize(), layerNormEps), t, "copy");
    }

    /** The same encoder without its pooler and classifier. */
    public BertWeights withoutHead() {
        Map<String, float[]> t = new TreeMap<>(tensors);
        t.keySet().removeIf(k -> k.startsWith("pooler.") || k.startsWith("classifier."));
        return new BertWeights(config, t, "encoder of a checkpoint");
    }

    /** All tensors by key (read-only view). */
    public Map<String, float[]> tensors() {
        return java.util.Collections.unmodifiableMap(tensors);
    }

    @Override public int hidden() { return config.hidden(); }
    @Override public int heads() { return config.heads(); }
    @Override public int layers() { return config.layers(); }
    @Override public int intermediate() { return config.intermediate(); }
    @Override public int vocabSize() { return config.vocabSize(); }
    @Override public int maxPositions() { return config.maxPositions(); }
    @Override public int typeVocabSize() { return config.typeVocabSize(); }
    @Override public float[] wordEmbeddings() { return tensor("embeddings.word"); }
    @Override public float[] positionEmbeddings() { return tensor("embeddings.position"); }
    @Override public float[] tokenTypeEmbeddings() { return tensor("embeddings.token_type"); }
    @Override public float[] embeddingLnGamma() { return tensor("embeddings.ln.gamma"); }
    @Override public float[] embeddingLnBeta() { return tensor("embeddings.ln.beta"); }
    @Override public float[] query(int l) { return tensor(l + ".query.weight"); }
    @Override public float[] queryBias(int l) { return tensor(l + ".query.bias"); }
    @Override public float[] key(int l) { return tensor(l + ".key.weight"); }
    @Override public float[] keyBias(int l) { return tensor(l + ".key.bias"); }
    @Override public float[] value(int l) { return tensor(l + ".value.weight"); }
    @Override public float[] valueBias(int l) { return tensor(l + ".value.bias"); }
    @Override public float[] attentionOutput(int l) { return tensor(l + ".attention_output.weight"); }
    @Override public float[] attentionOutputBias(int l) { return tensor(l + ".attention_output.bias"); }
    @Override public float[] attentionLnGamma(int l) { return tensor(l + ".attention_ln.gamma"); }
    @Override public float[] attentionLnBeta(int l) { return tensor(l + ".attention_ln.beta"); }
    @Override public float[] ffnIn(int l) { return tensor(l + ".ffn_in.weight"); }
    @Override public float[] ffnInBias(int l) { return tensor(l + ".ffn_in.bias"); }
    @Override public float[] ffnOut(int l) { return tensor(l + ".ffn_out.weight"); }
    @Override public float[] ffnOutBias(int l) { return tensor(l + ".ffn_out.bias"); }
    @Override public float[] outputLnGamma(int l) { return tensor(l + ".output_ln.gamma"); }
    @Override public float[] outputLnBeta(int l) { return tensor(l + ".output_ln.beta"); }
    @Override public float[] poolerWeight() { return tensors.get("pooler.weight"); }
    @Override public float[] poolerBias() { return tensors.get("pooler.bias"); }
    @Override public float[] classifierWeight() { return tensors.get("classifier.weight"); }
    @Override public float[] classifierBias() { return tensors.get("classifier.bias"); }
}
