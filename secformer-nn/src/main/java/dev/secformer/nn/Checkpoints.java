package dev.secformer.nn;

import dev.secformer.nn.hf.HuggingFaceCheckpoint;
import dev.secformer.nn.onnx.OnnxBertLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a BERT checkpoint in either format the library loads, told apart by what the path is. */
public final class Checkpoints {
    private Checkpoints() {
    }

    /** A Hugging Face folder (config.json, model.safetensors) or an ONNX export (a file). */
    public static BertWeights read(Path checkpoint) throws IOException {
        if (!Files.exists(checkpoint)) {
            throw new IOException(checkpoint + ": no such file or folder");
        }
        return Files.isDirectory(checkpoint) ? HuggingFaceCheckpoint.read(checkpoint) : OnnxBertLoader.load(checkpoint);
    }
}
