package dev.secformer.nn.secure;

import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;

/**
 * Rearranges rows of hidden vectors into attention heads and back: {@code [B*n, h*d]} to
 * {@code [B*h, n, d]}. A local copy on shares (no communication).
 */
final class AttentionHeads {
    private AttentionHeads() {
    }

    /** {@code [B*n, h*d]} (row b*n + i, column k*d + j) to {@code [B*h, n, d]}. */
    static SharedTensor split(SharedTensor x, int batch, int seq, int heads) {
        RingTensor t = x.share();
        int hidden = t.dim(-1);
        int d = hidden / heads;
        long[] in = t.data();
        long[] out = new long[in.length];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < seq; i++) {
                int row = (b * seq + i) * hidden;
                for (int k = 0; k < heads; k++) {
                    System.arraycopy(in, row + k * d, out, ((b * heads + k) * seq + i) * d, d);
                }
            }
        }
        return new SharedTensor(x.partyId(), RingTensor.of(out, batch * heads, seq, d));
    }

    /** {@code [B*h, n, d]} back to {@code [B*n, h*d]}. */
    static SharedTensor merge(SharedTensor x, int batch, int heads) {
        RingTensor t = x.share();
        int seq = t.dim(1);
        int d = t.dim(2);
        int hidden = heads * d;
        long[] in = t.data();
        long[] out = new long[in.length];
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < heads; k++) {
                for (int i = 0; i < seq; i++) {
                    System.arraycopy(in, ((b * heads + k) * seq + i) * d, out, (b * seq + i) * hidden + k * d, d);
                }
            }
        }
        return new SharedTensor(x.partyId(), RingTensor.of(out, batch * seq, hidden));
    }

    /**
     * The public 0/1 key mask of the attention scores {@code [B*h, n, n]}: entry (b, k, i, j) is 1
     * when token j of sequence b is a real token.
     */
    static RingTensor keyMask(boolean[][] valid, int heads) {
        int batch = valid.length;
        int seq = valid[0].length;
        long[] m = new long[batch * heads * seq * seq];
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < heads; k++) {
                for (int i = 0; i < seq; i++) {
                    int row = ((b * heads + k) * seq + i) * seq;
                    for (int j = 0; j < seq; j++) {
                        m[row + j] = valid[b][j] ? 1 : 0;
                    }
                }
            }
        }
        return RingTensor.of(m, batch * heads, seq, seq);
    }
}
