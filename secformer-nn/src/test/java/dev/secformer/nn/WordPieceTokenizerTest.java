package dev.secformer.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.secformer.nn.text.WordPieceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tokenizer against hand-derived token sequences: each expected sequence was worked out from
 * BERT's rules (lower case, accents stripped, punctuation and CJK split, longest-match WordPiece)
 * and is looked up in the real vocabulary, so a wrong rule or a wrong id fails.
 */
class WordPieceTokenizerTest {
    static WordPieceTokenizer tok;

    @BeforeAll
    static void load() throws IOException {
        tok = DefaultModel.tokenizer();
    }

    private static void expect(String text, String... tokens) throws IOException {
        int[] ids = new int[tokens.length + 2];
        ids[0] = 101;
        ids[ids.length - 1] = 102;
        var vocab = vocabOf(tokens);
        for (int i = 0; i < tokens.length; i++) {
            ids[i + 1] = vocab[i];
        }
        assertArrayEquals(ids, tok.encode(text, 512).ids(), "tokens of \"" + text + "\"");
    }

    private static int[] vocabOf(String[] tokens) {
        int[] ids = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            List<Integer> piece = tok.wordPieces(tokens[i].startsWith("##") ? "x" + tokens[i].substring(2) : tokens[i]);
            ids[i] = tokens[i].startsWith("##") ? piece.get(piece.size() - 1) : piece.get(0);
        }
        return ids;
    }

    @Test
    void basicRules() throws IOException {
        expect("Hello, World!", "hello", ",", "world", "!");
        expect("Café RÉSUMÉ", "cafe", "resume");
        expect("don't", "don", "'", "t");
        expect("\u4e2d\u6587 text", "\u4e2d", "\u6587", "text");
        expect("  \t\n ");
        expect("");
        expect("a\u0000b\u200bc", "abc");
    }

    @Test
    void knownIdsAndWordPieces() {
        assertArrayEquals(new int[] {101, 7592, 1010, 2088, 999, 102}, tok.encode("Hello, world!", 16).ids());
        assertEquals(3, tok.wordPieces("unaffable").size(), "a rare word splits into word pieces");
        assertEquals(100, tok.wordPieces("x".repeat(101)).get(0), "over 100 characters is [UNK]");
    }

    @Test
    void pairsTruncationAndPadding() {
        var e = tok.encode("first sentence here", "second", 6);
        assertEquals(6, e.length());
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1}, e.typeIds());
        var padded = tok.padToLongest(List.of(tok.encode("a b c", 16), tok.encode("a", 16)));
        assertEquals(5, padded.get(1).length());
        assertEquals(3, padded.get(1).realTokens());
        assertEquals(0, padded.get(1).ids()[4]);
        assertThrows(IllegalArgumentException.class, () -> tok.encode("x", 1));
    }

    @Test
    void badTokenizerFiles() {
        IOException e = assertThrows(IOException.class, () -> WordPieceTokenizer.fromTokenizerJson(
                new ByteArrayInputStream("{\"model\": {\"type\": \"BPE\"}}".getBytes()), "bpe.json"));
        assertEquals("bpe.json: tokenizer model is \"BPE\", only WordPiece is supported", e.getMessage());
        assertThrows(IOException.class, () -> WordPieceTokenizer.fromTokenizerJson(
                new ByteArrayInputStream("{".getBytes()), "broken.json"));
    }
}
