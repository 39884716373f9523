package dev.secformer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedCommandTest {
    @TempDir
    Path tmp;

    @Test
    void secureEmbeddingOfTheDefaultModelMatchesPlaintext() {
        CliRun r = CliRun.of("embed", "A short sentence.");
        assertEquals(0, r.code(), r.err());
        Matcher m = Pattern.compile("cosine\\(secure, plaintext exact model\\) = (\\S+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Double.parseDouble(m.group(1)) >= 0.999, r.out());
        assertTrue(r.out().contains("GeLU") && r.out().contains("softmax") && r.out().contains("rounds"), r.out());
    }

    @Test
    void badOptionsAndModelsGiveOneLineErrors() throws Exception {
        CliRun mode = CliRun.of("embed", "--mode", "fast", "x");
        assertEquals(1, mode.code());
        assertEquals("secformer: --mode must be accurate or secformer, got \"fast\"", mode.err().strip());
        CliRun missing = CliRun.of("embed", "--model", tmp.resolve("none.onnx").toString(), "x");
        assertEquals(1, missing.code());
        assertTrue(missing.err().startsWith("secformer: ") && missing.err().contains("none.onnx"), missing.err());
        Files.writeString(tmp.resolve("config.json"), "{}");
        CliRun folder = CliRun.of("embed", "--model", tmp.toString(), "x");
        assertEquals(1, folder.code());
        assertTrue(folder.err().contains("missing or non-integer key \"hidden_size\""), folder.err());
    }
}
