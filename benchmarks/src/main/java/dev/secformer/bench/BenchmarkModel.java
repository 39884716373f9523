package dev.secformer.bench;

import dev.secformer.nn.Checkpoints;
import dev.secformer.nn.secure.PlainBertWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model a harness run measures: synthetic weights of a standard shape, or a checkpoint.
 *
 * @param name    as the JSON report names it: the shape (base, large, tiny) or the checkpoint's path
 * @param title   as the Markdown report and the charts name it: BERT-base, or the checkpoint's file name
 * @param weights the plaintext weights
 * @param onnx    the ONNX export the weights came from, or null: the plaintext yardstick runs it in
 *                ONNX Runtime when there is one, the float32 model on ND4J otherwise
 */
public record BenchmarkModel(String name, String title, PlainBertWeights weights, Path onnx) {
    /** Synthetic weights of {@code shape}. */
    public static BenchmarkModel of(ModelShape shape) {
        return new BenchmarkModel(shape.toString(), "BERT-" + shape, shape.weights(), null);
    }

    /** A Hugging Face folder (config.json, model.safetensors) or an ONNX export of a BERT encoder. */
    public static BenchmarkModel load(Path checkpoint) throws IOException {
        PlainBertWeights w = Checkpoints.read(checkpoint);
        Path file = checkpoint.toAbsolutePath().normalize().getFileName();
        return new BenchmarkModel(checkpoint.toString(), file == null ? checkpoint.toString() : file.toString(), w,
                Files.isDirectory(checkpoint) ? null : checkpoint);
    }
}
