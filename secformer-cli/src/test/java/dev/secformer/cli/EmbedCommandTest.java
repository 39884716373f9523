package dev.secformer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedCommandTest {
    @TempDir
    Path tmp;

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Secformer.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void secureEmbeddingOfTheDefaultModelMatchesPlaintext() {
        String[] r = run("embed", "A short sentence.");
        assertEquals("0", r[0], r[2]);
        Matcher m = Pattern.compile("cosine\\(secure, plaintext exact model\\) = (\\S+)").matcher(r[1]);
        assertTrue(m.find(), r[1]);
        assertTrue(Double.parseDouble(m.group(1)) >= 0.999, r[1]);
        assertTrue(r[1].contains("GeLU") && r[1].contains("softmax") && r[1].contains("rounds"), r[1]);
    }

    @Test
    void badOptionsAndModelsGiveOneLineErrors() throws Exception {
        String[] mode = run("embed", "--mode", "fast", "x");
        assertEquals("1", mode[0]);
        assertEquals("secformer: --mode must be accurate or secformer, got \"fast\"", mode[2].strip());
        String[] missing = run("embed", "--model", tmp.resolve("none.onnx").toString(), "x");
        assertEquals("1", missing[0]);
        assertTrue(missing[2].startsWith("secformer: ") && missing[2].contains("none.onnx"), missing[2]);
        Files.writeString(tmp.resolve("config.json"), "{}");
        String[] folder = run("embed", "--model", tmp.toString(), "x");
        assertEquals("1", folder[0]);
        assertTrue(folder[2].contains("missing or non-integer key \"hidden_size\""), folder[2]);
    }
}
