package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Truncation;
import java.util.Arrays;

/**
 * The exact-softmax baseline as CrypTen computes it, for checkpoints that were not distilled:
 *
 * <pre>
 *   x'  = x on real keys, -64 on padded keys       local (the key mask is public)
 *   m   = max over the row of x'                    {@link RowMax}: ceil(log2 n) (c + 1) rounds
 *   e   = exp(x - m) * keyMask                      {@link LimitExp}: (1 + z/2^8)^(2^8), 9 rounds
 *   s   = sum over the row of e                     local; s in [1, n] since the maximum gives e = 1
 *   r   = 1 / s                                     {@link NewtonReciprocal}: 29 rounds (30 for n &gt; 480)
 *   out = e * r                                     one row-broadcast product and its truncation, 2 rounds
 * </pre>
 *
 * <p>The padding value -64 can become the row maximum only when every real score is below it,
 * which keeps x - m &lt;= 0 on real keys either way. Valid for rows whose real scores span less than
 * 256 (LimitExp's domain) and |x| &lt; 2^15 (the comparison's).
 *
 * <p>Cost per row of n keys with {@link DigitComparison}, with the exact truncation:
 * 4 ceil(log2 n) + 9 + 29 + 2 rounds (68 at n = 128, 77 at n = 512); online bytes about 47 (n - 1)
 * for the maximum, 144 n for the exponential, 784 for the reciprocal and 16 (n + 1) + 16 n for the
 * product and its truncation (measured: 226 per score at n = 128, `docs/protocols.md`).
 */
public final class ExactSoftmax implements SoftmaxProtocol {
    private static final double PADDING = -64;
    private final RowMax max;
    private final LimitExp exp = new LimitExp();

    public ExactSoftmax(Comparison cmp) {
        this.max = new RowMax(cmp);
    }

    public ExactSoftmax() {
        this(new DigitComparison());
    }

    @Override
    public SharedTensor apply(Party p, SharedTensor scores, RingTensor keyMask) {
        if (!Arrays.equals(scores.shape(), keyMask.shape())) {
            throw new IllegalArgumentException("softmax: key mask shape " + Arrays.toString(keyMask.shape())
                    + " differs from scores " + Arrays.toString(scores.shape()));
        }
        int[] shape = scores.shape();
        int n = shape[shape.length - 1];
        int rows = scores.size() / n;
        int f = p.fixedPoint().fractionBits();
        RingTensor padding = keyMask.map(v -> v == 0 ? p.fixedPoint().encode(PADDING) : 0);
        SharedTensor masked = scores.mulPublic(keyMask).addPublic(padding);
        SharedTensor m = max.apply(p, masked).reshape(rows, 1);
        SharedTensor z = scores.reshape(rows, n).sub(expand(m, n));
        SharedTensor e = exp.apply(p, z.mulPublic(keyMask.reshape(rows, n)).addPublic(padding.reshape(rows, n)))
                .mulPublic(keyMask.reshape(rows, n));
        NewtonReciprocal reciprocal = n <= 480 ? new NewtonReciprocal() : new NewtonReciprocal(10, new LimitExp(9));
        SharedTensor r = reciprocal.apply(p, e.sumLastAxis());
        ProductBatch batch = new ProductBatch(p);
        BroadcastProduct.rowBroadcast(batch, p, e, r);
        return Truncation.truncate(p, batch.run()[0], f).reshape(shape);
    }

    /** Repeats each row's single value n times: {@code [rows, 1]} to {@code [rows, n]}. */
    private static SharedTensor expand(SharedTensor m, int n) {
        long[] v = m.share().data();
        long[] out = new long[v.length * n];
        for (int r = 0; r < v.length; r++) {
            Arrays.fill(out, r * n, (r + 1) * n, v[r]);
        }
        return new SharedTensor(m.partyId(), RingTensor.of(out, v.length, n));
    }
}
