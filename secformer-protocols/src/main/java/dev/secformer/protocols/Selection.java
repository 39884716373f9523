package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.SharedTensor;

/**
 * Choices driven by secret bits (ring integers 0/1 from a {@link Comparison}). A bit times a
 * fixed-point value needs no truncation: the bit carries no fractional bits.
 */
public final class Selection {
    private Selection() {
    }

    /**
     * {@code bit ? a : b} elementwise, as b + bit (a - b): one Beaver product, 1 round, 32 online
     * bytes per element (both parties), 1 dealer element.
     */
    public static SharedTensor select(Party p, SharedTensor bit, SharedTensor a, SharedTensor b) {
        ProductBatch batch = new ProductBatch(p);
        batch.mul(bit, a.sub(b));
        return b.add(batch.run()[0]);
    }

    /**
     * ReLU(x) = x [x &gt;= 0] = x - x [x &lt; 0]: one comparison and one product; rounds and bytes
     * are the comparison's plus 1 round and 32 bytes per element.
     */
    public static SharedTensor relu(Party p, Comparison cmp, SharedTensor x) {
        SharedTensor negative = cmp.lessThanZero(p, x);
        ProductBatch batch = new ProductBatch(p);
        batch.mul(negative, x);
        return x.sub(batch.run()[0]);
    }
}
