package dev.secformer.cli;

import dev.secformer.nn.BertWeights;
import dev.secformer.nn.Checkpoints;
import dev.secformer.nn.DefaultModel;
import dev.secformer.nn.secure.ProtocolSuite;
import dev.secformer.nn.secure.ProtocolSuites;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.secformer.nn.text.WordPieceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the commands get a model and its tokenizer: a Hugging Face folder, an ONNX file, or the embedded default. */
final class Models {
    /** Settings of the secure model kept beside a checkpoint. */
    static final String SECFORMER_JSON = "secformer.json";
    private static final String MAX_MEAN_TERM = "twoQuadMaxMeanTerm";

    private Models() {
    }

    /** The weights at {@code model} (null: the embedded default model). */
    static BertWeights weights(Path model) throws IOException {
        return model == null ? DefaultModel.weights() : Checkpoints.read(model);
    }

    /** The tokenizer of {@code model}: tokenizer.json or vocab.txt in its folder (null: the default model's). */
    static WordPieceTokenizer tokenizer(Path model) throws IOException {
        if (model == null) {
            return DefaultModel.tokenizer();
        }
        Path file = tokenizerFile(model);
        try (InputStream in = Files.newInputStream(file)) {
            return file.getFileName().toString().equals("vocab.txt")
                    ? WordPieceTokenizer.fromVocabTxt(in, true, file.toString())
                    : WordPieceTokenizer.fromTokenizerJson(in, file.toString());
        }
    }

    /** The tokenizer file beside {@code model} (a folder or an ONNX file): tokenizer.json, else vocab.txt. */
    static Path tokenizerFile(Path model) throws IOException {
        Path dir = Files.isDirectory(model) ? model : model.toAbsolutePath().getParent();
        for (String name : new String[] {"tokenizer.json", "vocab.txt"}) {
            if (Files.exists(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        throw new IOException(dir + ": no tokenizer.json or vocab.txt for " + model);
    }

    /**
     * The protocol suite of a mode for {@code model}: in secformer mode, the 2Quad range a
     * distilled checkpoint records in its {@value #SECFORMER_JSON} (written by {@code distill}).
     */
    static ProtocolSuite suite(Path model, String mode) throws IOException {
        if (!mode.equals("secformer") || model == null || !Files.isRegularFile(model.resolve(SECFORMER_JSON))) {
            return ProtocolSuites.named(mode);
        }
        JsonNode j = new ObjectMapper().readTree(model.resolve(SECFORMER_JSON).toFile());
        if (!j.path(MAX_MEAN_TERM).isNumber() || !(j.path(MAX_MEAN_TERM).asDouble() > 0)) {
            throw new IOException(model.resolve(SECFORMER_JSON) + ": \"" + MAX_MEAN_TERM + "\" must be a positive number");
        }
        return ProtocolSuites.secformer(j.path(MAX_MEAN_TERM).asDouble());
    }

    /** Records the 2Quad range of a distilled model in its folder. */
    static void writeSuiteSettings(Path dir, double maxMeanTerm) throws IOException {
        ObjectMapper json = new ObjectMapper();
        json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(SECFORMER_JSON).toFile(),
                json.createObjectNode().put(MAX_MEAN_TERM, maxMeanTerm));
    }
}
