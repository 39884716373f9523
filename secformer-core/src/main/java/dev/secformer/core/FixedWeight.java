package dev.secformer.core;

/**
 * A secret weight matrix W ({@code k x n}) prepared for repeated products: its Beaver mask B is a
 * persistent dealer part, and F = W - B is opened once, when the model is loaded. Each later
 * product {@code X W} then opens only X - A with a fresh A (see {@link ProductBatch#matmulWeight}).
 *
 * <p>Security: F is opened once and B is never used with another weight (distinct keys), so F is
 * uniformly random and independent of W; A is fresh per product. This is the standard treatment
 * of a fixed operand; it saves 8 k n bytes per party per inference. Both matrices are kept packed
 * for the product kernel ({@link PackedMatrix}), the only form held.
 */
public final class FixedWeight {
    private final PackedMatrix share;
    private final PackedMatrix opened;
    private final long key;

    private FixedWeight(PackedMatrix share, PackedMatrix opened, long key) {
        this.share = share;
        this.opened = opened;
        this.key = key;
    }

    /**
     * Prepares weights in one round: draws each weight's persistent mask (key {@code keys[i]}, unique
     * within a session: a key drawn twice is refused) and opens every W - B. Costs 8 k n bytes per
     * party per weight.
     */
    public static FixedWeight[] prepareAll(Party p, SharedTensor[] weights, long[] keys) {
        if (weights.length != keys.length) {
            throw new IllegalArgumentException(weights.length + " weights but " + keys.length + " keys");
        }
        SharedTensor[] masked = new SharedTensor[weights.length];
        for (int i = 0; i < weights.length; i++) {
            if (weights[i].shape().length != 2) {
                throw new IllegalArgumentException("a fixed weight must be a matrix, got shape "
                        + java.util.Arrays.toString(weights[i].shape()));
            }
            long[] b = p.dealer().draw(Correlations.weightMask(weights[i].size(), keys[i]))[0];
            masked[i] = weights[i].sub(new SharedTensor(p.id(), RingTensor.of(b, weights[i].shape())));
        }
        RingTensor[] f = Open.open(p, masked);
        FixedWeight[] out = new FixedWeight[weights.length];
        for (int i = 0; i < weights.length; i++) {
            out[i] = new FixedWeight(PackedMatrix.of(weights[i].share()), PackedMatrix.of(f[i]), keys[i]);
        }
        return out;
    }

    public int rows() {
        return opened.rows();
    }

    public int cols() {
        return opened.cols();
    }

    long key() {
        return key;
    }

    /** This party's share of W, packed for products. */
    PackedMatrix share() {
        return share;
    }

    /** The public W - B, packed for products. */
    PackedMatrix opened() {
        return opened;
    }
}
