package dev.secformer.nn.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BERT's tokenizer in plain Java: the basic tokenizer (clean text, CJK characters split, lower
 * case, accents stripped, whitespace and punctuation split) followed by greedy longest-match-first
 * WordPiece with the {@code ##} continuation prefix, then {@code [CLS] ... [SEP]} (and a second
 * segment with token type 1), truncation and padding.
 */
public final class WordPieceTokenizer {
    private static final int MAX_WORD_CHARS = 100;

    private final Map<String, Integer> vocab;
    private final boolean lowercase;
    private final int cls;
    private final int sep;
    private final int pad;
    private final int unk;

    /** One tokenized input: ids, token types and the attention mask (1 for real tokens), all of one length. */
    public record Encoding(int[] ids, int[] typeIds, boolean[] mask) {
        public int length() {
            return ids.length;
        }

        /** Number of real (non-padding) tokens. */
        public int realTokens() {
            int n = 0;
            for (boolean b : mask) {
                n += b ? 1 : 0;
            }
            return n;
        }
    }

    public WordPieceTokenizer(Map<String, Integer> vocab, boolean lowercase) {
        this.vocab = Map.copyOf(vocab);
        this.lowercase = lowercase;
        this.cls = special("[CLS]");
        this.sep = special("[SEP]");
        this.pad = special("[PAD]");
        this.unk = special("[UNK]");
    }

    private int special(String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException("vocabulary has no " + token + " token");
        }
        return id;
    }

    /** From a Hugging Face {@code tokenizer.json} with a WordPiece model. */
    public static WordPieceTokenizer fromTokenizerJson(InputStream in, String source) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IOException(source + ": not valid JSON (" + e.getMessage() + ")", e);
        }
        JsonNode model = root.path("model");
        if (!"WordPiece".equals(model.path("type").asText())) {
            throw new IOException(source + ": tokenizer model is \"" + model.path("type").asText() + "\", only WordPiece is supported");
        }
        Map<String, Integer> vocab = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : model.path("vocab").properties()) {
            vocab.put(e.getKey(), e.getValue().asInt());
        }
        if (vocab.isEmpty()) {
            throw new IOException(source + ": tokenizer has an empty vocabulary");
        }
        boolean lower = root.path("normalizer").path("lowercase").asBoolean(true);
        try {
            return new WordPieceTokenizer(vocab, lower);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
    }

    /** From a BERT {@code vocab.txt} (one token per line, id = line number). */
    public static WordPieceTokenizer fromVocabTxt(InputStream in, boolean lowercase, String source) throws IOException {
        Map<String, Integer> vocab = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int id = 0;
            while ((line = r.readLine()) != null) {
                vocab.putIfAbsent(line.strip(), id++);
            }
        }
        try {
            return new WordPieceTokenizer(vocab, lowercase);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
    }

    public int vocabSize() {
        return vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    }

    /** The id of [PAD]. */
    public int padId() {
        return pad;
    }

    /** {@code [CLS] text [SEP]}, truncated to {@code maxLength} tokens, not padded. */
    public Encoding encode(String text, int maxLength) {
        return encode(text, null, maxLength);
    }

    /** {@code [CLS] a [SEP] b [SEP]} with token type 1 for b, truncated as Hugging Face's "longest_first" does. */
    public Encoding encode(String a, String b, int maxLength) {
        if (maxLength < (b == null ? 2 : 3)) {
            throw new IllegalArgumentException("maximum length " + maxLength + " leaves no room for the special tokens");
        }
        List<Integer> ta = wordPieces(a);
        List<Integer> tb = b == null ? List.of() : wordPieces(b);
        int budget = maxLength - (b == null ? 2 : 3);
        if (ta.size() + tb.size() > budget) {
            // Hugging Face's "longest first": the shorter segment (the first on a tie) keeps its
            // length if it fits in half the budget, else gets the lower half; the other gets the rest.
            boolean aShorter = ta.size() <= tb.size();
            int shorter = Math.min(Math.min(ta.size(), tb.size()), budget / 2);
            int aLength = aShorter ? shorter : budget - shorter;
            ta = ta.subList(0, Math.min(ta.size(), aLength));
            tb = tb.subList(0, budget - ta.size());
        }
        int n = ta.size() + tb.size() + (b == null ? 2 : 3);
        int[] ids = new int[n];
        int[] types = new int[n];
        boolean[] mask = new boolean[n];
        int pos = 0;
        ids[pos++] = cls;
        for (int id : ta) {
            ids[pos++] = id;
        }
        ids[pos++] = sep;
        if (b != null) {
            for (int id : tb) {
                types[pos] = 1;
                ids[pos++] = id;
            }
            types[pos] = 1;
            ids[pos++] = sep;
        }
        java.util.Arrays.fill(mask, true);
        return new Encoding(ids, types, mask);
    }

    /** Pads every encoding with [PAD] (mask false, type 0) to the longest one's length. */
    public List<Encoding> padToLongest(List<Encoding> batch) {
        int len = batch.stream().mapToInt(Encoding::length).max().orElse(0);
        List<Encoding> out = new ArrayList<>();
        for (Encoding e : batch) {
            int[] ids = java.util.Arrays.copyOf(e.ids(), len);
            java.util.Arrays.fill(ids, e.length(), len, pad);
            out.add(new Encoding(ids, java.util.Arrays.copyOf(e.typeIds(), len), java.util.Arrays.copyOf(e.mask(), len)));
        }
        return out;
    }

    /** WordPiece ids of a text without special tokens. */
    public List<Integer> wordPieces(String text) {
        List<Integer> out = new ArrayList<>();
        for (String word : basicTokens(text)) {
            if (word.codePointCount(0, word.length()) > MAX_WORD_CHARS) {
                out.add(unk);
                continue;
            }
            List<Integer> pieces = new ArrayList<>();
            int start = 0;
            boolean bad = false;
            while (start < word.length()) {
                int end = word.length();
                Integer found = null;
                while (start < end) {
                    String sub = (start > 0 ? "##" : "") + word.substring(start, end);
                    found = vocab.get(sub);
                    if (found != null) {
                        break;
                    }
                    end = word.offsetByCodePoints(end, -1);
                }
                if (found == null) {
                    bad = true;
                    break;
                }
                pieces.add(found);
                start = end;
            }
            if (bad) {
                out.add(unk);
            } else {
                out.addAll(pieces);
            }
        }
        return out;
    }

    /** The basic tokenizer: cleaned, CJK-split, optionally lower-cased and accent-stripped words and punctuation. */
    List<String> basicTokens(String text) {
        StringBuilder clean = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c == 0 || c == 0xFFFD || isControl(c)) {
                return;
            }
            if (isWhitespace(c)) {
                clean.append(' ');
            } else if (isCjk(c)) {
                clean.append(' ').appendCodePoint(c).append(' ');
            } else {
                clean.appendCodePoint(c);
            }
        });
        String s = clean.toString();
        if (lowercase) {
            s = s.toLowerCase(java.util.Locale.ROOT);
            s = Normalizer.normalize(s, Normalizer.Form.NFD);
            StringBuilder noAccents = new StringBuilder();
            s.codePoints().filter(c -> Character.getType(c) != Character.NON_SPACING_MARK).forEach(noAccents::appendCodePoint);
            s = noAccents.toString();
        }
        List<String> tokens = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c == ' ') {
                flush(cur, tokens);
            } else if (isPunctuation(c)) {
                flush(cur, tokens);
                tokens.add(new String(Character.toChars(c)));
            } else {
                cur.appendCodePoint(c);
            }
        });
        flush(cur, tokens);
        return tokens;
    }

    private static void flush(StringBuilder cur, List<String> tokens) {
        if (cur.length() > 0) {
            tokens.add(cur.toString());
            cur.setLength(0);
        }
    }

    private static boolean isWhitespace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || Character.getType(c) == Character.SPACE_SEPARATOR;
    }

    private static boolean isControl(int c) {
        if (c == '\t' || c == '\n' || c == '\r') {
            return false;
        }
        int t = Character.getType(c);
        return t == Character.CONTROL || t == Character.FORMAT;
    }

    private static boolean isPunctuation(int c) {
        if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) {
            return true;
        }
        int t = Character.getType(c);
        return t == Character.CONNECTOR_PUNCTUATION || t == Character.DASH_PUNCTUATION || t == Character.START_PUNCTUATION
                || t == Character.END_PUNCTUATION || t == Character.INITIAL_QUOTE_PUNCTUATION
                || t == Character.FINAL_QUOTE_PUNCTUATION || t == Character.OTHER_PUNCTUATION;
    }

    private static boolean isCjk(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }
}
