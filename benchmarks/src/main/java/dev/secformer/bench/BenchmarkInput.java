package dev.secformer.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The client's request: random token ids (seed 3), token type 0 and every position valid, as
 * {@code [batch][seq]} arrays. The first row is the same for every batch size, so batch 1 is the
 * input the harness always used.
 */
public record BenchmarkInput(int[][] tokenIds, int[][] typeIds, boolean[][] valid) {
    /** A random request of {@code batch} rows of {@code seq} tokens from a vocabulary of {@code vocab}. */
    public static BenchmarkInput random(int vocab, int batch, int seq) {
        SplittableRandom r = new SplittableRandom(3);
        int[][] ids = new int[batch][seq];
        boolean[][] valid = new boolean[batch][seq];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < seq; i++) {
                ids[b][i] = r.nextInt(vocab);
            }
            Arrays.fill(valid[b], true);
        }
        return new BenchmarkInput(ids, new int[batch][seq], valid);
    }

    /** Sequences in the request. */
    public int batch() {
        return tokenIds.length;
    }

    /** Tokens per sequence. */
    public int seq() {
        return tokenIds[0].length;
    }
}
