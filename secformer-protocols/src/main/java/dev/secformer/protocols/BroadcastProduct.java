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
 * elements (c). With several per-row operands ({@link #rowBroadcastEach}) x is opened once:
 * 8 (rows cols + t rows) bytes per party and t rows cols dealer elements for t operands. Results
 * are raw ring products: fixed-point callers truncate them.
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
        return add(batch, p, x, new SharedTensor[] {y}, true);
    }

    /**
     * Adds the products of x with several per-row operands at once, x's mask opened once:
     * {@code x * ys[t][row]} for each t. Returns the index of a result of shape [ys.length, x's shape].
     */
    public static int rowBroadcastEach(ProductBatch batch, Party p, SharedTensor x, SharedTensor... ys) {
        return add(batch, p, x, ys, true);
    }

    /**
     * Adds {@code x * y[column]} to {@code batch}: x's last axis has {@code y.size()} elements, y holds
     * one value per column. Returns the product's index in the batch's result; its shape is x's.
     */
    public static int columnBroadcast(ProductBatch batch, Party p, SharedTensor x, SharedTensor y) {
        return add(batch, p, x, new SharedTensor[] {y}, false);
    }

    private static int add(ProductBatch batch, Party p, SharedTensor x, SharedTensor[] ys, boolean perRow) {
        int[] shape = x.shape();
        int k = ys.length;
        int bSize = ys[0].size();
        for (SharedTensor y : ys) {
            if (y.size() != bSize) {
                throw new IllegalArgumentException("broadcast operands of different sizes " + bSize + " and " + y.size());
            }
        }
        int rows;
        int cols;
        if (perRow) {
            if (bSize == 0 || x.size() % bSize != 0) {
                throw new IllegalArgumentException("row broadcast: " + x.size() + " elements " + Arrays.toString(shape)
                        + " do not split into " + bSize + " rows");
            }
            rows = bSize;
            cols = x.size() / bSize;
        } else {
            if (shape.length == 0 || shape[shape.length - 1] != bSize) {
                throw new IllegalArgumentException("column broadcast: last axis of " + Arrays.toString(shape)
                        + " does not match " + bSize + " columns");
            }
            cols = bSize;
            rows = x.size() / Math.max(1, cols);
        }
        int n = x.size();
        long[][] t = p.dealer().draw(triple(rows, cols, perRow, k));
        SharedTensor a = new SharedTensor(p.id(), RingTensor.of(t[0], shape));
        SharedTensor[] b = new SharedTensor[k];
        for (int i = 0; i < k; i++) {
            b[i] = new SharedTensor(p.id(), RingTensor.of(t[1 + i], ys[i].shape()));
        }
        int[] outShape = k == 1 ? shape : prepend(k, shape);
        return batch.add(new ProductBatch.Product() {
            @Override
            public SharedTensor[] masked() {
                SharedTensor[] m = new SharedTensor[1 + k];
                m[0] = x.sub(a);
                for (int i = 0; i < k; i++) {
                    m[1 + i] = ys[i].sub(b[i]);
                }
                return m;
            }

            @Override
            public SharedTensor finish(RingTensor[] opened) { // z = c + e b + a f + e f, per operand
                long[] e = opened[0].data();
                long[] av = a.share().data();
                long[] z = new long[k * n];
                boolean first = p.id() == 0;
                for (int op = 0; op < k; op++) {
                    long[] f = opened[1 + op].data();
                    long[] bv = b[op].share().data();
                    long[] c = t[1 + k + op];
                    for (int i = 0; i < n; i++) {
                        int j = perRow ? i / cols : i % cols;
                        z[op * n + i] = c[i] + e[i] * bv[j] + av[i] * f[j] + (first ? e[i] * f[j] : 0);
                    }
                }
                return new SharedTensor(p.id(), RingTensor.of(z, outShape));
            }
        });
    }

    private static int[] prepend(int k, int[] shape) {
        int[] r = new int[shape.length + 1];
        r[0] = k;
        System.arraycopy(shape, 0, r, 1, shape.length);
        return r;
    }

    /**
     * The dealer's recipe for {@code count} broadcast operands: random a ({@code rows x cols}), random
     * b_1..b_count ({@code rows} values each if {@code perRow}, else {@code cols}), derived
     * c_t = a * broadcast(b_t).
     */
    public static Correlation triple(int rows, int cols, boolean perRow, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("need at least one broadcast operand, got " + count);
        }
        int n = Math.multiplyExact(rows, cols);
        int bSize = perRow ? rows : cols;
        List<RandomPart> random = new java.util.ArrayList<>();
        List<DerivedPart> derived = new java.util.ArrayList<>();
        random.add(RandomPart.fresh(n));
        for (int i = 0; i < count; i++) {
            random.add(RandomPart.fresh(bSize));
            derived.add(DerivedPart.additive(n));
        }
        return new BasicCorrelation(KIND, new long[] {rows, cols, perRow ? 1 : 0, count}, random, derived, r -> {
            long[][] c = new long[count][n];
            for (int op = 0; op < count; op++) {
                for (int i = 0; i < n; i++) {
                    c[op][i] = r[0][i] * r[1 + op][perRow ? i / cols : i % cols];
                }
            }
            return c;
        });
    }
}
