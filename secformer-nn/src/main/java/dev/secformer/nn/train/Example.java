package dev.secformer.nn.train;

import dev.secformer.nn.text.WordPieceTokenizer;

/** One tokenized training or evaluation example and its label (NaN for unlabelled text). */
public record Example(WordPieceTokenizer.Encoding encoding, float label) {
}
