package dev.secformer.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secformer.nn.hf.HuggingFaceCheckpoint;
import dev.secformer.nn.hf.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HuggingFaceCheckpointTest {
    @TempDir
    Path tmp;

    @Test
    void writtenCheckpointReadsBackToTheSameWeights() throws IOException {
        BertWeights w = DefaultModel.weights();
        Path tokenizer = tmp.resolve("tokenizer-source.json");
        try (var in = getClass().getClassLoader().getResourceAsStream(DefaultModel.TOKENIZER_RESOURCE)) {
            Files.copy(in, tokenizer);
        }
        Path dir = tmp.resolve("minilm");
        HuggingFaceCheckpoint.write(dir, w, tokenizer);
        assertTrue(Files.isRegularFile(dir.resolve("tokenizer.json")));
        BertWeights back = HuggingFaceCheckpoint.read(dir);
        assertEquals(w.config().hidden(), back.config().hidden());
        assertEquals(w.config().layers(), back.config().layers());
        assertEquals(w.config().heads(), back.config().heads());
        for (Map.Entry<String, float[]> e : w.tensors().entrySet()) {
            assertArrayEquals(e.getValue(), back.tensor(e.getKey()), e.getKey());
        }
        Map<String, Safetensors.Tensor> raw = Safetensors.read(dir.resolve("model.safetensors"));
        assertArrayEquals(new long[] {1536, 384}, raw.get("bert.encoder.layer.0.intermediate.dense.weight").shape(),
                "Hugging Face stores linear weights [out, in]");
    }

    @Test
    void poolerAndClassifierRoundTrip() throws IOException {
        BertWeights w = dev.secformer.nn.secure.SecureHeadTest.withHead(
                new dev.secformer.nn.secure.SyntheticBert(32, 2, 1, 64, 50, 16, 2, 3), 4);
        Path dir = tmp.resolve("classifier");
        HuggingFaceCheckpoint.write(dir, w, null);
        BertWeights back = HuggingFaceCheckpoint.read(dir);
        assertArrayEquals(w.poolerWeight(), back.poolerWeight());
        assertArrayEquals(w.classifierWeight(), back.classifierWeight());
        assertArrayEquals(w.classifierBias(), back.classifierBias());
        assertTrue(Files.readString(dir.resolve("config.json")).contains("\"num_labels\" : 4"));
    }

    @Test
    void halfPrecisionAndBadFiles() throws IOException {
        Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
        t.put("a", new Safetensors.Tensor(new float[] {1, -2.5f, 3}, new long[] {3}));
        Path f = tmp.resolve("t.safetensors");
        Safetensors.write(f, t);
        assertArrayEquals(new float[] {1, -2.5f, 3}, Safetensors.read(f).get("a").values());
        byte[] bytes = Files.readAllBytes(f);
        Path cut = tmp.resolve("cut.safetensors");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(cut));
        assertTrue(e.getMessage().startsWith(cut + ": tensor a"), e.getMessage());
        assertEquals(1.0f, dev.secformer.nn.hf.SafetensorsAccess.half((short) 0x3C00));
        assertEquals(-2.0f, dev.secformer.nn.hf.SafetensorsAccess.half((short) 0xC000));
        assertEquals(0x1p-24f, dev.secformer.nn.hf.SafetensorsAccess.half((short) 0x0001));
    }

    @Test
    void configProblemsNameTheFileAndKey() throws IOException {
        Path dir = tmp.resolve("bad");
        Files.createDirectories(dir);
        IOException none = assertThrows(IOException.class, () -> HuggingFaceCheckpoint.read(dir));
        assertTrue(none.getMessage().contains("no config.json"), none.getMessage());
        Files.writeString(dir.resolve("config.json"), "{\"hidden_size\": 64, \"num_hidden_layers\": 2}");
        IOException missing = assertThrows(IOException.class, () -> HuggingFaceCheckpoint.read(dir));
        assertEquals(dir.resolve("config.json") + ": missing or non-integer key \"num_attention_heads\"", missing.getMessage());
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"gpt2\"}");
        assertTrue(assertThrows(IOException.class, () -> HuggingFaceCheckpoint.read(dir)).getMessage().contains("gpt2"));
    }
}
