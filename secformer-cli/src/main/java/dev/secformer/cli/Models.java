package dev.secformer.cli;

import dev.secformer.nn.BertWeights;
import dev.secformer.nn.DefaultModel;
import dev.secformer.nn.hf.HuggingFaceCheckpoint;
import dev.secformer.nn.onnx.OnnxBertLoader;
import dev.secformer.nn.text.WordPieceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the commands get a model and its tokenizer: a Hugging Face folder, an ONNX file, or the embedded default. */
final class Models {
    private Models() {
    }

    /** The weights at {@code model} (null: the embedded default model). */
    static BertWeights weights(Path model) throws IOException {
        return model == null ? DefaultModel.weights()
                : Files.isDirectory(model) ? HuggingFaceCheckpoint.read(model) : OnnxBertLoader.load(model);
    }

    /** The tokenizer of {@code model}: tokenizer.json or vocab.txt in its folder (null: the default model's). */
    static WordPieceTokenizer tokenizer(Path model) throws IOException {
        if (model == null) {
            return DefaultModel.tokenizer();
        }
        Path dir = Files.isDirectory(model) ? model : model.toAbsolutePath().getParent();
        Path json = dir.resolve("tokenizer.json");
        Path vocab = dir.resolve("vocab.txt");
        if (Files.exists(json)) {
            try (InputStream in = Files.newInputStream(json)) {
                return WordPieceTokenizer.fromTokenizerJson(in, json.toString());
            }
        }
        if (Files.exists(vocab)) {
            try (InputStream in = Files.newInputStream(vocab)) {
                return WordPieceTokenizer.fromVocabTxt(in, true, vocab.toString());
            }
        }
        throw new IOException(dir + ": no tokenizer.json or vocab.txt for " + model);
    }
}
