package dev.secformer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secformer.nn.BertWeights;
import dev.secformer.nn.hf.HuggingFaceCheckpoint;
import dev.secformer.nn.train.TrainingState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distill command on a tiny checkpoint: an interrupted run resumed from its checkpoint ends
 * with the same student as an uninterrupted one; the result is a loadable Hugging Face folder
 * with its tokenizer and 2Quad range; bad invocations fail with a message.
 */
class DistillCommandTest {
    @TempDir
    Path dir;
    Path teacher;
    Path data;

    @BeforeEach
    void tinyTeacherAndData() throws IOException {
        teacher = TinyCheckpoint.write(dir.resolve("teacher"), false);
        data = dir.resolve("corpus.txt");
        Files.write(data, TinyCheckpoint.lines(4, 40));
    }

    private CliRun distill(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("distill", "--teacher", teacher.toString(), "--data", data.toString(),
                "--out", out.toString(), "--seq", "12", "--batch", "8", "--layer-epochs", "2", "--layer-lr", "1e-3",
                "--output-epochs", "1", "--output-lr", "1e-3", "--checkpoint-every", "2"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void aResumedRunEndsWithTheSameStudentAsAnUninterruptedOne() throws IOException {
        CliRun whole = distill(dir.resolve("whole"));
        assertEquals(0, whole.code(), whole.err());
        assertTrue(whole.out().contains("stage 1 10 steps, stage 2 5 steps"), whole.out());

        Path out = dir.resolve("parts");
        CliRun first = distill(out, "--max-steps", "7");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("continue with --resume"), first.out());
        TrainingState mid = TrainingState.read(out.resolve("checkpoint"));
        assertEquals(7, mid.step());
        CliRun again = distill(out, "--max-steps", "7");
        assertEquals(1, again.code(), "an existing distillation is not overwritten");
        assertTrue(again.err().contains("--resume"), again.err());
        CliRun rest = distill(out, "--resume");
        assertEquals(0, rest.code(), rest.err());
        assertTrue(rest.out().contains("resuming at LAYERS step 7"), rest.out());

        BertWeights a = HuggingFaceCheckpoint.read(dir.resolve("whole/model"));
        BertWeights b = HuggingFaceCheckpoint.read(out.resolve("model"));
        for (String key : a.tensors().keySet()) {
            assertArrayEquals(a.tensor(key), b.tensor(key), 1e-6f, key);
        }
        BertWeights t = HuggingFaceCheckpoint.read(teacher);
        assertTrue(maxDiff(t.tensor("0.query.weight"), b.tensor("0.query.weight")) > 1e-4, "the student has moved");
        assertArrayEquals(t.tensor("embeddings.word"), b.tensor("embeddings.word"), "the word table stays the teacher's");
        assertTrue(Files.exists(out.resolve("model/vocab.txt")) && Files.exists(out.resolve("model/secformer.json")));
        assertTrue(Models.suite(out.resolve("model"), "secformer").softmax() != null);
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void badInvocationsFailWithAMessage() {
        CliRun missing = CliRun.of("distill", "--teacher", teacher.toString(), "--data", dir.resolve("nope.txt").toString(),
                "--out", dir.resolve("o1").toString(), "--seq", "12");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nope.txt: no such file"), missing.err());
        CliRun resume = distill(dir.resolve("o2"), "--resume");
        assertEquals(1, resume.code());
        assertTrue(resume.err().contains("no checkpoint"), resume.err());
        CliRun task = distill(dir.resolve("o3"), "--task", "squad");
        assertEquals(1, task.code());
        assertTrue(task.err().contains("unknown task"), task.err());
        assertEquals(2, CliRun.of("distill", "--data", data.toString()).code(), "--out is required");
    }
}
