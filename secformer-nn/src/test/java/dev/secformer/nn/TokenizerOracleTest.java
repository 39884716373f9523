package dev.secformer.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.secformer.nn.text.WordPieceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tokenizer against an independent implementation: Hugging Face's own tokenizers library
 * (Rust, through DJL) loading the same tokenizer.json. Ids, token types and attention masks must be
 * equal on a varied corpus: accents and other scripts, punctuation, control and zero-width
 * characters, long words, empty input, sentence pairs and truncation.
 */
class TokenizerOracleTest {
    private static final int MAX_LENGTH = 128;

    @TempDir
    static Path dir;
    static WordPieceTokenizer ours;
    static HuggingFaceTokenizer oracle;

    @BeforeAll
    static void load() throws IOException {
        ours = DefaultModel.tokenizer();
        Path json = dir.resolve("tokenizer.json");
        DefaultModel.copyTokenizer(json);
        oracle = HuggingFaceTokenizer.newInstance(json, Map.of(
                "addSpecialTokens", "true", "truncation", "LONGEST_FIRST",
                "maxLength", Integer.toString(MAX_LENGTH), "padding", "false"));
    }

    @AfterAll
    static void close() {
        oracle.close();
    }

    static final List<String> HAND_PICKED = List.of(
            "", " ", "\t\n\r", "Hello, World!", "Café RÉSUMÉ naïve façade Ångström",
            "don't stop—won't stop… (really?) [yes] {no} <maybe> «quoted» „low“",
            "Ünïcödé ßtraße Øresund Łódź İstanbul ΑΒΓ αβγ Привет мир",
            "中文文本 日本語のテキスト 한국어 텍스트", "emoji 😀👍🏽 and ♥ ★ ∑ ∞ €100 £5 ¥3",
            "a\u0000b\u200bc\u00ad d\ufeffe \u0301x", "tab\tseparated\u00a0nbsp\u2003emspace",
            "pneumonoultramicroscopicsilicovolcanoconiosis antidisestablishmentarianism",
            "x".repeat(99), "y".repeat(100), "z".repeat(101), "supercalifragilistic".repeat(3),
            "3.14159 1,000,000 2026-11-24 12:30:45 +44 (0)20 7946 0958 user@example.com https://x.org/a?b=c#d",
            "C++ C# F# .NET node.js __init__ snake_case camelCase SCREAMING_CASE",
            "Mr. O'Neil's dog-eared copy; it's 'fine'\"quoted\" — ok?!",
            "ﬁ ﬂ ﬀ Ⅻ ² ½ ｆｕｌｌｗｉｄｔｈ", "עברית العربية हिन्दी ไทย");

    /** Sentences made of the vocabulary's own pieces, punctuation and odd characters, reproducibly. */
    static List<String> generated(int count) {
        String[] parts = {"the", "un", "##believ", "able", "quick", "brown", "fox", "jumps", "Über", "naïve", ",", ".",
            "!", "?", "'s", "-", "(", ")", "42", "3.5", "é", "ß", "中", "😀", "\u200b", "  ", "\t", "ing", "re", "tion",
            "Transformers", "secure", "multi-party", "computation", "GeLU", "LayerNorm"};
        Random r = new Random(20261124);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder sb = new StringBuilder();
            int words = r.nextInt(60);
            for (int w = 0; w < words; w++) {
                String p = parts[r.nextInt(parts.length)];
                sb.append(p.startsWith("##") ? p.substring(2) : p);
                if (r.nextInt(3) > 0) {
                    sb.append(' ');
                }
            }
            out.add(sb.toString());
        }
        return out;
    }

    private static void same(String what, Encoding expected, WordPieceTokenizer.Encoding actual) {
        assertArrayEquals(expected.getIds(), toLong(actual.ids()), "ids of " + what);
        assertArrayEquals(expected.getTypeIds(), toLong(actual.typeIds()), "token types of " + what);
        long[] mask = new long[actual.length()];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = actual.mask()[i] ? 1 : 0;
        }
        assertArrayEquals(expected.getAttentionMask(), mask, "attention mask of " + what);
    }

    private static long[] toLong(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    @Test
    void singleSentencesEqualTheReferenceTokenizer() {
        List<String> corpus = new ArrayList<>(HAND_PICKED);
        corpus.addAll(generated(300));
        for (String text : corpus) {
            same("\"" + text + "\"", oracle.encode(text), ours.encode(text, MAX_LENGTH));
        }
    }

    @Test
    void pairsAndTruncationEqualTheReferenceTokenizer() {
        List<String> corpus = generated(200);
        boolean truncated = false;
        for (int i = 0; i + 1 < corpus.size(); i += 2) {
            String a = corpus.get(i) + " " + corpus.get(i + 1);
            String b = corpus.get(i + 1);
            Encoding expected = oracle.encode(a, b);
            truncated |= expected.getIds().length == MAX_LENGTH;
            same("the pair \"" + a + "\" / \"" + b + "\"", expected, ours.encode(a, b, MAX_LENGTH));
        }
        String longText = String.join(" ", generated(20));
        same("a long text", oracle.encode(longText), ours.encode(longText, MAX_LENGTH));
        assertTrue(truncated, "the corpus must exercise pair truncation");
    }
}
