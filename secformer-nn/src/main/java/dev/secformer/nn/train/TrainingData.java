package dev.secformer.nn.train;

import dev.secformer.nn.text.WordPieceTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Training and evaluation examples from files: plain text (one example per line, blank lines
 * skipped, no label) or the GLUE distribution's TSV files, tokenized with the model's tokenizer.
 *
 * <p>GLUE layouts (columns found by header name where the file has a header):
 * SST-2 {@code sentence, label}; CoLA (no header) {@code source, label, original label, sentence};
 * MRPC {@code Quality, #1 ID, #2 ID, #1 String, #2 String}; RTE {@code index, sentence1,
 * sentence2, label} and QNLI {@code index, question, sentence, label} with label entailment = 0,
 * not_entailment = 1; STS-B {@code ..., sentence1, sentence2, score} (a regression target in
 * [0, 5]). A file without the label column (GLUE's test files) gives unlabelled examples.
 */
public final class TrainingData {
    /** The formats read. */
    public enum Task {
        TEXT(0), SST2(2), COLA(2), MRPC(2), RTE(2), QNLI(2), STSB(1);

        private final int labels;

        Task(int labels) {
            this.labels = labels;
        }

        /** Outputs of the task's head: classes, 1 for regression, 0 for unlabelled text. */
        public int labels() {
            return labels;
        }

        /** The task of a command-line name (text, sst2, cola, mrpc, rte, qnli, stsb; case and dashes ignored). */
        public static Task named(String name) {
            String n = name.toUpperCase(Locale.ROOT).replace("-", "");
            for (Task t : values()) {
                if (t.name().equals(n)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown task \"" + name + "\": text, sst2, cola, mrpc, rte, qnli or stsb");
        }
    }

    private TrainingData() {
    }

    /** The examples of {@code file}, truncated to {@code maxLength} tokens. */
    public static List<Example> read(Path file, Task task, WordPieceTokenizer tok, int maxLength) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Example> out = new ArrayList<>();
        if (task == Task.TEXT) {
            for (String line : lines) {
                if (!line.isBlank()) {
                    out.add(new Example(tok.encode(line.strip(), maxLength), Float.NaN));
                }
            }
            return out;
        }
        Columns c = Columns.of(task, lines.isEmpty() ? "" : lines.get(0), file);
        for (int i = c.headerLines; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            int needed = Math.max(c.a, Math.max(c.b, c.label)) + 1;
            if (f.length < Math.max(c.a, c.b) + 1) {
                throw new IOException(file + ":" + (i + 1) + ": " + f.length + " columns, the " + task + " layout needs "
                        + needed);
            }
            float label = c.label >= 0 && c.label < f.length ? label(task, f[c.label], file, i + 1) : Float.NaN;
            WordPieceTokenizer.Encoding e = c.b < 0 ? tok.encode(f[c.a], maxLength) : tok.encode(f[c.a], f[c.b], maxLength);
            out.add(new Example(e, label));
        }
        return out;
    }

    private static float label(Task task, String v, Path file, int line) throws IOException {
        String s = v.strip();
        switch (task) {
            case RTE, QNLI -> {
                if (s.equals("entailment")) {
                    return 0;
                }
                if (s.equals("not_entailment")) {
                    return 1;
                }
            }
            case STSB -> {
                try {
                    return Float.parseFloat(s);
                } catch (NumberFormatException e) {
                    break;
                }
            }
            default -> {
                if (s.equals("0") || s.equals("1")) {
                    return Integer.parseInt(s);
                }
            }
        }
        throw new IOException(file + ":" + line + ": \"" + v + "\" is not a " + task + " label");
    }

    /** Column indices of the first text, the second text (-1: none) and the label (-1: none). */
    private record Columns(int headerLines, int a, int b, int label) {
        static Columns of(Task task, String header, Path file) throws IOException {
            if (task == Task.COLA) {
                return new Columns(0, 3, -1, 1);
            }
            List<String> h = Arrays.asList(header.split("\t", -1));
            String[] names = switch (task) {
                case SST2 -> new String[] {"sentence", null, "label"};
                case MRPC -> new String[] {"#1 String", "#2 String", "Quality"};
                case RTE -> new String[] {"sentence1", "sentence2", "label"};
                case QNLI -> new String[] {"question", "sentence", "label"};
                case STSB -> new String[] {"sentence1", "sentence2", "score"};
                default -> throw new IllegalStateException();
            };
            int a = h.indexOf(names[0]);
            int b = names[1] == null ? -1 : h.indexOf(names[1]);
            if (a < 0 || names[1] != null && b < 0) {
                throw new IOException(file + ": the header " + h + " lacks the " + task + " columns "
                        + Arrays.toString(Arrays.copyOf(names, names[1] == null ? 1 : 2)));
            }
            return new Columns(1, a, b, h.indexOf(names[2]));
        }
    }
}
