package dev.secformer.protocols;

import java.util.Arrays;
import java.util.List;

import dev.secformer.core.BasicCorrelation;
import dev.secformer.core.Correlation;
import dev.secformer.core.Correlation.DerivedPart;
import dev.secformer.core.Correlation.RandomPart;
import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;

/**
 * Beaver products of a secret tensor x of {@code rows x cols} elements with a secret that is
 * broadcast over it: one value per row (a row's reciprocal or inverse square root) or one per
 * column (a LayerNorm weight). The broadcast operand is masked and opened once, not once per
 * element, which halves the traffic of an elementwise product of the expanded tensor.
 *
 * <pre>
 *   dealer: random a (rows x cols), random b (rows or cols), derived c = a * broadcast(b)
 *   open e = x - a and f = y - b           (in the batch's one round)
 *   z = c + e * broadcast(b) + a * broadcast(f) + e * broadcast(f)   (party 0 adds the last term)
 * </pre>
 *
 * <p>Cost: bytes sent per party 8 (rows cols + rows) for a row broadcast, 8 (rows cols + cols)
 * for a column broadcast (online bytes of both parties: twice that); dealer: rows cols derived
 * elements (c). Results are raw ring products: fixed-point callers truncate them.
 */
public final class BroadcastProduct {
    /** Registry kind of the triple. */
    public static final String KIND = "broadcast-triple";

    private BroadcastProduct() {
    }

    /**
     * Adds {@code x * y[row]} to {@code batch}: x has any shape whose elements split into
     * {@code y.size()} rows of equal length (consecutive elements), y holds one value per row.
     * Returns the product's index in the batch's result; its shape is x's.
     */
    public static int rowBroadcast(ProductBatch batch, Party p, SharedTensor x, SharedTensor y) {
        int rows = y.size();
        if (rows == 0 || x.size() % rows != 0) {
            throw new IllegalArgumentException("row broadcast: " + x.size() + " elements " + Arrays.toString(x.shape())
                    + " do not split into " + rows + " rows");
        }
        return add(batch, p, x, y, rows, x.size() / rows, true);
    }

    /**
     * Adds {@code x * y[column]} to {@code batch}: x's last axis has {@code y.size()} elements, y holds
     * one value per column. Returns the product's index in the batch's result; its shape is x's.
     */
    public static int columnBroadcast(ProductBatch batch, Party p, SharedTensor x, SharedTensor y) {
        int[] s = x.shape();
        int cols = y.size();
        if (s.length == 0 || s[s.length - 1] != cols) {
            throw new IllegalArgumentException("column broadcast: last axis of " + Arrays.toString(s)
                    + " does not match " + cols + " columns");
        }
        return add(batch, p, x, y, x.size() / cols, cols, false);
    }

    private static int add(ProductBatch batch, Party p, SharedTensor x, SharedTensor y, int rows, int cols, boolean perRow) {
        long[][] t = p.dealer().draw(triple(rows, cols, perRow));
        int[] shape = x.shape();
        SharedTensor a = new SharedTensor(p.id(), RingTensor.of(t[0], shape));
        SharedTensor b = new SharedTensor(p.id(), RingTensor.of(t[1], y.shape()));
        long[] c = t[2];
        return batch.add(new ProductBatch.Product() {
            @Override
            public SharedTensor[] masked() {
                return new SharedTensor[] {x.sub(a), y.sub(b)};
            }

            @Override
            public SharedTensor finish(RingTensor[] opened) {
                long[] e = opened[0].data();
                long[] f = opened[1].data();
                long[] av = a.share().data();
                long[] bv = b.share().data();
                long[] z = new long[e.length];
                boolean first = p.id() == 0;
                for (int i = 0; i < z.length; i++) {
                    int j = perRow ? i / cols : i % cols;
                    z[i] = c[i] + e[i] * bv[j] + av[i] * f[j] + (first ? e[i] * f[j] : 0);
                }
                return new SharedTensor(p.id(), RingTensor.of(z, shape));
            }
        });
    }

    /**
     * The dealer's recipe: random a ({@code rows x cols}), random b ({@code rows} values if
     * {@code perRow}, else {@code cols}), derived c = a * broadcast(b).
     */
    public static Correlation triple(int rows, int cols, boolean perRow) {
        int n = Math.multiplyExact(rows, cols);
        int bSize = perRow ? rows : cols;
        return new BasicCorrelation(KIND, new long[] {rows, cols, perRow ? 1 : 0},
                List.of(RandomPart.fresh(n), RandomPart.fresh(bSize)), List.of(DerivedPart.additive(n)), r -> {
                    long[] c = new long[n];
                    for (int i = 0; i < n; i++) {
                        c[i] = r[0][i] * r[1][perRow ? i / cols : i % cols];
                    }
                    return new long[][] {c};
                });
    }
}
