package dev.secformer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secformer.nn.BertWeights;
import dev.secformer.nn.ReferenceBert;
import dev.secformer.nn.hf.HuggingFaceCheckpoint;
import dev.secformer.nn.text.WordPieceTokenizer;
import dev.secformer.nn.train.Example;
import dev.secformer.nn.train.ModelOutputs;
import dev.secformer.nn.train.TrainingData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The eval command on a tiny checkpoint: a GLUE file labelled with the model's own plaintext
 * predictions must score accuracy 1 in plaintext and nearly so inside MPC; an encoder compared with
 * itself has cosine 1 in plaintext and nearly 1 inside MPC.
 */
class EvalCommandTest {
    @TempDir
    Path dir;

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no \"" + regex + "\" in:\n" + text);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void glueMetricsInPlaintextAndInsideMpc() throws IOException {
        Path model = TinyCheckpoint.write(dir.resolve("classifier"), true);
        List<String> sentences = TinyCheckpoint.lines(7, 48);
        WordPieceTokenizer tok = Models.tokenizer(model);
        List<Example> examples = new ArrayList<>();
        for (String s : sentences) {
            examples.add(new Example(tok.encode(s, 128), Float.NaN));
        }
        // centre the classifier on this data: bias = - median margin, so both classes occur
        BertWeights w = HuggingFaceCheckpoint.read(model);
        double[][] logits = ModelOutputs.plaintext(w, ReferenceBert.Attention.SOFTMAX, examples, tok.padId()).rows();
        double[] margins = new double[logits.length];
        for (int i = 0; i < margins.length; i++) {
            margins[i] = logits[i][1] - logits[i][0];
        }
        java.util.Arrays.sort(margins);
        java.util.Map<String, float[]> t = new java.util.HashMap<>(w.tensors());
        t.put("classifier.bias", new float[] {0, (float) -margins[margins.length / 2]});
        HuggingFaceCheckpoint.write(model, new BertWeights(w.config(), t, "centred"), null);
        double[] predicted = ModelOutputs.predictions(ModelOutputs.plaintext(HuggingFaceCheckpoint.read(model),
                ReferenceBert.Attention.SOFTMAX, examples, tok.padId()).rows());
        StringBuilder tsv = new StringBuilder("sentence\tlabel\n");
        int ones = 0;
        for (int i = 0; i < sentences.size(); i++) {
            tsv.append(sentences.get(i)).append('\t').append((int) predicted[i]).append('\n');
            ones += (int) predicted[i];
        }
        assertTrue(ones > 4 && ones < 44, "both classes occur: " + ones);
        Path dev = dir.resolve("dev.tsv");
        Files.writeString(dev, tsv);
        CliRun r = CliRun.of("eval", "--model", model.toString(), "--data", dev.toString(), "--task", "sst2", "--mpc-limit", "16");
        assertEquals(0, r.code(), r.err());
        assertEquals(1.0, number(r.out(), "plaintext: +accuracy ([0-9.]+) \\(48 examples"), 1e-9);
        assertTrue(number(r.out(), "inside MPC: +accuracy ([0-9.]+)") >= 14.0 / 16, r.out());
        assertTrue(r.out().contains("rounds in all"), r.out());
    }

    @Test
    void pooledCosineOfAnEncoderToItselfInPlaintextAndInsideMpc() throws IOException {
        Path model = TinyCheckpoint.write(dir.resolve("encoder"), false);
        Path text = dir.resolve("text.txt");
        Files.write(text, TinyCheckpoint.lines(9, 20));
        CliRun r = CliRun.of("eval", "--model", model.toString(), "--data", text.toString(), "--compare", model.toString(),
                "--mpc-limit", "8");
        assertEquals(0, r.code(), r.err());
        assertEquals(1.0, number(r.out(), "plaintext ([0-9.]+) over 20 examples"), 1e-4);
        assertTrue(number(r.out(), "inside MPC ([0-9.]+)") >= 0.99, r.out());

        CliRun wrong = CliRun.of("eval", "--model", model.toString(), "--data", text.toString(), "--task", "sst2");
        assertEquals(1, wrong.code());
        CliRun mode = CliRun.of("eval", "--model", model.toString(), "--data", text.toString(), "--mode", "fast");
        assertEquals(1, mode.code());
        assertTrue(mode.err().contains("--mode"), mode.err());
    }
}
