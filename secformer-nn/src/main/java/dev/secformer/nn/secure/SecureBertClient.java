package dev.secformer.nn.secure;

/**
 * Secure BERT inferences as a caller sees them, whichever transport runs them:
 * {@link InProcessBert} (both parties in this process) or a deployment's client
 * ({@code dev.secformer.service.RemoteBert}). The token ids stay secret from each party; the
 * padding mask and the shape are public.
 */
public interface SecureBertClient extends AutoCloseable {
    /**
     * One inference of {@code B} sequences of {@code n} tokens.
     *
     * @param tokenIds {@code [B][n]} word-piece ids
     * @param typeIds  {@code [B][n]} token type (segment) ids
     * @param valid    {@code [B][n]} true for real tokens, false for padding
     */
    BertInference infer(int[][] tokenIds, int[][] typeIds, boolean[][] valid);

    @Override
    void close();
}
