package dev.secformer.nn.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secformer.nn.BertConfig;
import dev.secformer.nn.BertWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Hugging Face BERT checkpoint folder: {@code config.json}, {@code model.safetensors} with the
 * standard tensor names (linear weights stored {@code [out, in]}, with or without the
 * {@code bert.} prefix), and {@code tokenizer.json} or {@code vocab.txt}. Reads into
 * {@link BertWeights} and writes a model the library produced as such a folder.
 */
public final class HuggingFaceCheckpoint {
    private static final String[][] LINEAR = {
        {"attention.self.query", "query"}, {"attention.self.key", "key"}, {"attention.self.value", "value"},
        {"attention.output.dense", "attention_output"}, {"intermediate.dense", "ffn_in"}, {"output.dense", "ffn_out"}};
    private static final String[][] NORMS = {{"attention.output.LayerNorm", "attention_ln"}, {"output.LayerNorm", "output_ln"}};

    private HuggingFaceCheckpoint() {
    }

    public static BertWeights read(Path dir) throws IOException {
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new IOException(dir + ": no config.json (not a Hugging Face checkpoint folder)");
        }
        BertConfig config = readConfig(configFile);
        Path model = dir.resolve("model.safetensors");
        Map<String, Safetensors.Tensor> raw = Safetensors.read(model);
        String prefix = raw.containsKey("bert.embeddings.word_embeddings.weight") ? "bert." : "";
        Map<String, float[]> t = new HashMap<>();
        Lookup in = new Lookup(model, raw, prefix);
        t.put("embeddings.word", in.get("embeddings.word_embeddings.weight"));
        t.put("embeddings.position", in.get("embeddings.position_embeddings.weight"));
        t.put("embeddings.token_type", in.get("embeddings.token_type_embeddings.weight"));
        t.put("embeddings.ln.gamma", in.norm("embeddings.LayerNorm", true));
        t.put("embeddings.ln.beta", in.norm("embeddings.LayerNorm", false));
        for (int l = 0; l < config.layers(); l++) {
            String base = "encoder.layer." + l + ".";
            for (String[] m : LINEAR) {
                t.put(l + "." + m[1] + ".weight", in.transposed(base + m[0] + ".weight"));
                t.put(l + "." + m[1] + ".bias", in.get(base + m[0] + ".bias"));
            }
            for (String[] m : NORMS) {
                t.put(l + "." + m[1] + ".gamma", in.norm(base + m[0], true));
                t.put(l + "." + m[1] + ".beta", in.norm(base + m[0], false));
            }
        }
        if (raw.containsKey(prefix + "pooler.dense.weight")) {
            t.put("pooler.weight", in.transposed("pooler.dense.weight"));
            t.put("pooler.bias", in.get("pooler.dense.bias"));
        }
        if (raw.containsKey("classifier.weight")) {
            Lookup top = new Lookup(model, raw, "");
            t.put("classifier.weight", top.transposed("classifier.weight"));
            t.put("classifier.bias", top.get("classifier.bias"));
        }
        try {
            return new BertWeights(config, t, model.toString());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    static BertConfig readConfig(Path file) throws IOException {
        JsonNode c;
        try {
            c = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON (" + e.getMessage() + ")", e);
        }
        String type = c.path("model_type").asText("bert");
        if (!type.equals("bert")) {
            throw new IOException(file + ": model_type \"" + type + "\" is not supported (only bert)");
        }
        String act = c.path("hidden_act").asText("gelu");
        if (!act.equals("gelu")) {
            throw new IOException(file + ": hidden_act \"" + act + "\" is not supported (only gelu)");
        }
        try {
            return new BertConfig(require(c, file, "hidden_size"), require(c, file, "num_hidden_layers"),
                    require(c, file, "num_attention_heads"), require(c, file, "intermediate_size"),
                    require(c, file, "vocab_size"), require(c, file, "max_position_embeddings"),
                    c.path("type_vocab_size").asInt(2), c.path("layer_norm_eps").asDouble(1e-12));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static int require(JsonNode c, Path file, String key) throws IOException {
        if (!c.has(key) || !c.get(key).canConvertToInt()) {
            throw new IOException(file + ": missing or non-integer key \"" + key + "\"");
        }
        return c.get(key).asInt();
    }

    /**
     * Writes {@code w} as {@code config.json} and {@code model.safetensors} (names with the
     * {@code bert.} prefix), and copies {@code tokenizer} (a tokenizer.json or vocab.txt) if given.
     */
    public static void write(Path dir, BertWeights w, Path tokenizer) throws IOException {
        Files.createDirectories(dir);
        BertConfig c = w.config();
        ObjectMapper json = new ObjectMapper();
        ObjectNode cfg = json.createObjectNode();
        cfg.putArray("architectures").add("BertModel");
        cfg.put("model_type", "bert").put("hidden_act", "gelu").put("hidden_size", c.hidden())
                .put("num_hidden_layers", c.layers()).put("num_attention_heads", c.heads())
                .put("intermediate_size", c.intermediate()).put("vocab_size", c.vocabSize())
                .put("max_position_embeddings", c.maxPositions()).put("type_vocab_size", c.typeVocabSize())
                .put("layer_norm_eps", c.layerNormEps());
        json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), cfg);
        Map<String, Safetensors.Tensor> out = new LinkedHashMap<>();
        int h = c.hidden();
        out.put("bert.embeddings.word_embeddings.weight", new Safetensors.Tensor(w.wordEmbeddings(), new long[] {c.vocabSize(), h}));
        out.put("bert.embeddings.position_embeddings.weight", new Safetensors.Tensor(w.positionEmbeddings(), new long[] {c.maxPositions(), h}));
        out.put("bert.embeddings.token_type_embeddings.weight", new Safetensors.Tensor(w.tokenTypeEmbeddings(), new long[] {c.typeVocabSize(), h}));
        out.put("bert.embeddings.LayerNorm.weight", new Safetensors.Tensor(w.embeddingLnGamma(), new long[] {h}));
        out.put("bert.embeddings.LayerNorm.bias", new Safetensors.Tensor(w.embeddingLnBeta(), new long[] {h}));
        for (int l = 0; l < c.layers(); l++) {
            String base = "bert.encoder.layer." + l + ".";
            for (String[] m : LINEAR) {
                float[] weight = w.tensor(l + "." + m[1] + ".weight");
                float[] bias = w.tensor(l + "." + m[1] + ".bias");
                int outDim = bias.length;
                int inDim = weight.length / outDim;
                out.put(base + m[0] + ".weight", new Safetensors.Tensor(transpose(weight, inDim, outDim), new long[] {outDim, inDim}));
                out.put(base + m[0] + ".bias", new Safetensors.Tensor(bias, new long[] {outDim}));
            }
            for (String[] m : NORMS) {
                out.put(base + m[0] + ".weight", new Safetensors.Tensor(w.tensor(l + "." + m[1] + ".gamma"), new long[] {h}));
                out.put(base + m[0] + ".bias", new Safetensors.Tensor(w.tensor(l + "." + m[1] + ".beta"), new long[] {h}));
            }
        }
        if (w.poolerWeight() != null) {
            out.put("bert.pooler.dense.weight", new Safetensors.Tensor(transpose(w.poolerWeight(), h, h), new long[] {h, h}));
            out.put("bert.pooler.dense.bias", new Safetensors.Tensor(w.poolerBias(), new long[] {h}));
        }
        if (w.classifierWeight() != null) {
            int labels = w.classifierBias().length;
            out.put("classifier.weight", new Safetensors.Tensor(transpose(w.classifierWeight(), h, labels), new long[] {labels, h}));
            out.put("classifier.bias", new Safetensors.Tensor(w.classifierBias(), new long[] {labels}));
            cfg.put("num_labels", labels);
            cfg.putArray("architectures").removeAll().add("BertForSequenceClassification");
            json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), cfg);
        }
        Safetensors.write(dir.resolve("model.safetensors"), out);
        if (tokenizer != null) {
            Files.copy(tokenizer, dir.resolve(tokenizer.getFileName().toString().endsWith(".txt") ? "vocab.txt" : "tokenizer.json"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Row-major {@code [rows, cols]} to {@code [cols, rows]}. */
    public static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = m[i * cols + j];
            }
        }
        return t;
    }

    /** Tensor lookup by Hugging Face name, with the file in error messages. */
    private record Lookup(Path file, Map<String, Safetensors.Tensor> raw, String prefix) {
        float[] get(String name) throws IOException {
            Safetensors.Tensor t = raw.get(prefix + name);
            if (t == null) {
                throw new IOException(file + ": missing tensor " + prefix + name);
            }
            return t.values();
        }

        /** A linear weight stored [out, in], returned [in, out]. */
        float[] transposed(String name) throws IOException {
            Safetensors.Tensor t = raw.get(prefix + name);
            if (t == null) {
                throw new IOException(file + ": missing tensor " + prefix + name);
            }
            if (t.shape().length != 2) {
                throw new IOException(file + ": tensor " + prefix + name + " has shape " + java.util.Arrays.toString(t.shape())
                        + ", expected a matrix");
            }
            return transpose(t.values(), (int) t.shape()[0], (int) t.shape()[1]);
        }

        /** LayerNorm scale (weight, or gamma in older checkpoints) or shift (bias, or beta). */
        float[] norm(String base, boolean scale) throws IOException {
            String modern = base + (scale ? ".weight" : ".bias");
            String old = base + (scale ? ".gamma" : ".beta");
            return raw.containsKey(prefix + modern) || !raw.containsKey(prefix + old) ? get(modern) : get(old);
        }
    }
}
