package dev.secformer.nn.secure;

import dev.secformer.core.FixedPoint;
import dev.secformer.core.ObliviousLookup;
import dev.secformer.core.Prg;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Sharing;

/**
 * The client's side: secret-shares its token ids as two digits each ({@link ObliviousLookup#digits})
 * and its token types as one-hot rows, so that neither party learns them, and reconstructs the
 * result from the parties' output shares.
 *
 * <p>Input bytes: 8 (2 + T) bytes per token to each party (T = token types, 2 in BERT), whatever
 * the vocabulary.
 */
public final class ClientShares {
    private final RingTensor[] word;
    private final RingTensor[] type;
    private final boolean[][] valid;
    private final int vocabSize;

    private ClientShares(RingTensor[] word, RingTensor[] type, boolean[][] valid, int vocabSize) {
        this.word = word;
        this.vocabSize = vocabSize;
        this.type = type;
        this.valid = valid;
    }

    /**
     * Shares a batch of token id sequences of equal (padded) length.
     *
     * @param tokenIds ids in [0, vocabSize), one row per sequence
     * @param typeIds  token-type ids in [0, typeVocabSize), same shape
     * @param valid    true for real tokens, false for padding, same shape
     */
    public static ClientShares share(int[][] tokenIds, int[][] typeIds, boolean[][] valid, int vocabSize,
                                     int typeVocabSize, Prg prg) {
        int batch = tokenIds.length;
        if (batch == 0 || typeIds.length != batch || valid.length != batch) {
            throw new IllegalArgumentException("token ids, token types and mask must have the same number (>= 1) of rows");
        }
        int seq = tokenIds[0].length;
        for (int b = 0; b < batch; b++) {
            if (tokenIds[b].length != seq || typeIds[b].length != seq || valid[b].length != seq) {
                throw new IllegalArgumentException("sequence " + b + " does not have the batch's length " + seq);
            }
            if (!SecureBert.anyValid(valid[b])) {
                throw new IllegalArgumentException("sequence " + b + " has no valid token in its padding mask");
            }
        }
        return new ClientShares(Sharing.split(digits(tokenIds, vocabSize), prg),
                Sharing.split(oneHot(typeIds, typeVocabSize, "token type id"), prg), copy(valid), vocabSize);
    }

    private static RingTensor digits(int[][] ids, int vocabSize) {
        checkRange(ids, vocabSize, "token id");
        int seq = ids[0].length;
        int[] flat = new int[ids.length * seq];
        for (int b = 0; b < ids.length; b++) {
            System.arraycopy(ids[b], 0, flat, b * seq, seq);
        }
        return ObliviousLookup.digits(flat, vocabSize);
    }

    private static RingTensor oneHot(int[][] ids, int width, String what) {
        checkRange(ids, width, what);
        int seq = ids[0].length;
        RingTensor t = RingTensor.zeros(ids.length * seq, width);
        long[] d = t.data();
        for (int b = 0; b < ids.length; b++) {
            for (int i = 0; i < seq; i++) {
                d[(b * seq + i) * width + ids[b][i]] = 1;
            }
        }
        return t;
    }

    private static void checkRange(int[][] ids, int width, String what) {
        for (int b = 0; b < ids.length; b++) {
            for (int i = 0; i < ids[b].length; i++) {
                int id = ids[b][i];
                if (id < 0 || id >= width) {
                    throw new IllegalArgumentException(what + " " + id + " at sequence " + b + ", position " + i
                            + " is outside [0, " + width + ")");
                }
            }
        }
    }

    private static boolean[][] copy(boolean[][] v) {
        boolean[][] c = new boolean[v.length][];
        for (int i = 0; i < v.length; i++) {
            c[i] = v[i].clone();
        }
        return c;
    }

    /** Party {@code id}'s share of the input. */
    public SecureBert.Input forParty(int id) {
        return new SecureBert.Input(new SharedTensor(id, word[id]), new SharedTensor(id, type[id]), copy(valid));
    }

    /** Party {@code id}'s share of the token ids' digits {@code [B*n, 2]}. */
    public RingTensor wordShare(int id) {
        return word[id];
    }

    /** The vocabulary size the token ids were split for (the parties check it against their model). */
    public int vocabSize() {
        return vocabSize;
    }

    /** Party {@code id}'s share of the one-hot token-type rows {@code [B*n, T]}. */
    public RingTensor typeShare(int id) {
        return type[id];
    }

    /** The public padding mask {@code [B][n]}. */
    public boolean[][] valid() {
        return copy(valid);
    }

    /** Bytes sent to each party. */
    public long bytesPerParty() {
        return 8L * (word[0].size() + type[0].size());
    }

    /** The plaintext result from both parties' fixed-point output shares. */
    public static double[] reveal(RingTensor share0, RingTensor share1, FixedPoint fp) {
        return fp.decode(Sharing.reconstruct(share0, share1));
    }
}
