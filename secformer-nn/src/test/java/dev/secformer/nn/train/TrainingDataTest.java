package dev.secformer.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secformer.nn.DefaultModel;
import dev.secformer.nn.text.WordPieceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The readers of text and GLUE files, and GLUE's metrics against values worked out by hand. */
class TrainingDataTest {
    @TempDir
    Path dir;

    private List<Example> read(String name, String content, TrainingData.Task task) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return TrainingData.read(f, task, DefaultModel.tokenizer(), 64);
    }

    @Test
    void readsEveryGlueLayoutAndPlainText() throws IOException {
        WordPieceTokenizer tok = DefaultModel.tokenizer();
        List<Example> sst = read("sst.tsv", "sentence\tlabel\na fine film \t1\nawful\t0\n", TrainingData.Task.SST2);
        assertEquals(2, sst.size());
        assertArrayEquals(tok.encode("a fine film ", 64).ids(), sst.get(0).encoding().ids());
        assertEquals(1f, sst.get(0).label());
        assertEquals(0f, sst.get(1).label());

        List<Example> cola = read("cola.tsv", "gj04\t1\t\tThe cat sat.\ngj04\t0\t*\tCat the sat.\n", TrainingData.Task.COLA);
        assertArrayEquals(tok.encode("Cat the sat.", 64).ids(), cola.get(1).encoding().ids());
        assertEquals(0f, cola.get(1).label());

        List<Example> mrpc = read("mrpc.tsv", "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n1\t1\t2\tHe left.\tHe went away.\n",
                TrainingData.Task.MRPC);
        assertArrayEquals(tok.encode("He left.", "He went away.", 64).ids(), mrpc.get(0).encoding().ids());
        assertArrayEquals(tok.encode("He left.", "He went away.", 64).typeIds(), mrpc.get(0).encoding().typeIds());

        List<Example> rte = read("rte.tsv", "index\tsentence1\tsentence2\tlabel\n0\tA b.\tC d.\tnot_entailment\n1\tA.\tA.\tentailment\n",
                TrainingData.Task.RTE);
        assertEquals(1f, rte.get(0).label());
        assertEquals(0f, rte.get(1).label());

        List<Example> qnli = read("qnli.tsv", "index\tquestion\tsentence\tlabel\n0\tWho?\tHim.\tentailment\n", TrainingData.Task.QNLI);
        assertArrayEquals(tok.encode("Who?", "Him.", 64).ids(), qnli.get(0).encoding().ids());

        List<Example> sts = read("sts.tsv", "index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore\n"
                + "0\tmain\tx\t2012\t1\tnone\tnone\tA plane.\tAn airplane.\t4.75\n", TrainingData.Task.STSB);
        assertEquals(4.75f, sts.get(0).label());

        List<Example> test = read("test.tsv", "index\tsentence\n0\tno label here\n", TrainingData.Task.SST2);
        assertTrue(Float.isNaN(test.get(0).label()), "GLUE test files have no labels");

        List<Example> text = read("t.txt", "first line\n\n  second line  \n", TrainingData.Task.TEXT);
        assertEquals(2, text.size());
        assertArrayEquals(tok.encode("second line", 64).ids(), text.get(1).encoding().ids());
    }

    @Test
    void badFilesNameTheFileTheLineAndTheProblem() {
        IOException header = assertThrows(IOException.class,
                () -> read("a.tsv", "index\ttext\tlabel\n0\tx\t1\n", TrainingData.Task.RTE));
        assertTrue(header.getMessage().contains("a.tsv") && header.getMessage().contains("sentence1"), header.getMessage());
        IOException label = assertThrows(IOException.class,
                () -> read("b.tsv", "sentence\tlabel\nfine\tpositive\n", TrainingData.Task.SST2));
        assertTrue(label.getMessage().contains("b.tsv:2") && label.getMessage().contains("positive"), label.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainingData.Task.named("squad"));
        assertEquals(TrainingData.Task.STSB, TrainingData.Task.named("sts-b"));
    }

    @Test
    void metricsEqualHandComputedValues() {
        double[] p = {1, 1, 0, 0, 1};
        float[] y = {1, 0, 0, 1, 1};
        Map<String, Double> mrpc = GlueMetrics.of(TrainingData.Task.MRPC, p, y);
        assertEquals(0.6, mrpc.get("accuracy"), 1e-12);
        assertEquals(2.0 / 3, mrpc.get("f1"), 1e-12);
        assertEquals(1.0 / 6, GlueMetrics.of(TrainingData.Task.COLA, p, y).get("matthews"), 1e-12);
        assertEquals(5 / Math.sqrt(2 * 114.0 / 9), GlueMetrics.of(TrainingData.Task.STSB, new double[] {1, 2, 3},
                new float[] {2, 4, 7}).get("pearson"), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> GlueMetrics.of(TrainingData.Task.SST2, p, new float[] {1}));
    }
}
