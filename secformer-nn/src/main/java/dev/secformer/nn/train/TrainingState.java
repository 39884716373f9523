package dev.secformer.nn.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.secformer.nn.BertWeights;
import dev.secformer.nn.hf.HuggingFaceCheckpoint;
import dev.secformer.nn.hf.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a distillation run stands: the stage, the steps done in it, the student's weights and the
 * optimizer's moments (null at the start of a stage).
 *
 * <p>On disk, a checkpoint is a Hugging Face folder (config.json, model.safetensors, and the
 * tokenizer if given), usable as a model as it is, plus {@code trainer.json} (stage and step) and
 * {@code optimizer.safetensors} (the moments). It is written to a temporary sibling folder and
 * renamed into place (the previous one is renamed away first and deleted last), so an
 * interruption never leaves a half-written checkpoint under the folder's name.
 */
public record TrainingState(Distillation.Stage stage, long step, BertWeights student, Map<String, INDArray> moments) {
    private static final String TRAINER = "trainer.json";
    private static final String OPTIMIZER = "optimizer.safetensors";

    /** Writes the checkpoint folder {@code dir} (replacing an older one of the same name). */
    public void write(Path dir, Path tokenizer) throws IOException {
        Path tmp = dir.resolveSibling(dir.getFileName() + ".partial");
        deleteTree(tmp);
        HuggingFaceCheckpoint.write(tmp, student, tokenizer);
        Map<String, Safetensors.Tensor> m = new LinkedHashMap<>();
        if (moments != null) {
            for (Map.Entry<String, INDArray> e : moments.entrySet()) {
                INDArray a = e.getValue().castTo(DataType.FLOAT);
                m.put(e.getKey(), new Safetensors.Tensor(a.dup('c').data().asFloat(), a.shape()));
            }
            Safetensors.write(tmp.resolve(OPTIMIZER), m);
        }
        ObjectMapper json = new ObjectMapper();
        json.writerWithDefaultPrettyPrinter().writeValue(tmp.resolve(TRAINER).toFile(),
                json.createObjectNode().put("stage", stage.name()).put("step", step));
        Path old = dir.resolveSibling(dir.getFileName() + ".old");
        deleteTree(old);
        if (Files.exists(dir)) {
            Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
    }

    /** Reads a checkpoint folder written by {@link #write}. */
    public static TrainingState read(Path dir) throws IOException {
        Path trainer = dir.resolve(TRAINER);
        if (!Files.isRegularFile(trainer)) {
            throw new IOException(dir + ": no " + TRAINER + " (not a distillation checkpoint)");
        }
        JsonNode t = new ObjectMapper().readTree(trainer.toFile());
        Distillation.Stage stage;
        try {
            stage = Distillation.Stage.valueOf(t.path("stage").asText());
        } catch (IllegalArgumentException e) {
            throw new IOException(trainer + ": unknown stage \"" + t.path("stage").asText() + "\"", e);
        }
        if (!t.path("step").canConvertToLong() || t.path("step").asLong() < 0) {
            throw new IOException(trainer + ": missing or negative \"step\"");
        }
        BertWeights student = HuggingFaceCheckpoint.read(dir);
        Map<String, INDArray> moments = null;
        Path optimizer = dir.resolve(OPTIMIZER);
        if (Files.isRegularFile(optimizer)) {
            moments = new HashMap<>();
            for (Map.Entry<String, Safetensors.Tensor> e : Safetensors.read(optimizer).entrySet()) {
                moments.put(e.getKey(), Nd4j.create(e.getValue().values(), e.getValue().shape(), 'c'));
            }
        }
        return new TrainingState(stage, t.path("step").asLong(), student, moments);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
