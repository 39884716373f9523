package dev.secformer.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Products of secret tensors by Beaver's method, gathered so that all their openings go out in
 * ONE round. Add the products of a protocol step, then {@link #run()}:
 *
 * <ol>
 *   <li>each product draws its triple from the dealer when it is added (both parties add the same
 *       products in the same order);</li>
 *   <li>{@code run} opens every masked difference (x - a, y - b, ...) in one exchange;</li>
 *   <li>each party combines the opened differences with its triple shares locally.</li>
 * </ol>
 *
 * <p>Results are raw ring products: fixed-point callers truncate them.
 *
 * <table>
 *   <caption>Cost per product (per party; online bytes both parties together are twice this)</caption>
 *   <tr><th>product</th><th>bytes sent</th><th>dealer elements to party 1</th></tr>
 *   <tr><td>{@link #mul} of n elements</td><td>16 n</td><td>n (c)</td></tr>
 *   <tr><td>{@link #square} of n elements</td><td>8 n</td><td>n (r^2)</td></tr>
 *   <tr><td>{@link #matmul} (m x k)(k x n)</td><td>8 (m k + k n)</td><td>m n (C)</td></tr>
 *   <tr><td>{@link #matmulWeight} (m x k) by a {@link FixedWeight} k x n</td><td>8 m k</td><td>m n (C)</td></tr>
 * </table>
 *
 * <p>A product with a fixed weight does one local matrix product online: the input-independent
 * term A F of its triple is folded in when the triple is drawn (see {@link Correlation#precompute}),
 * which is offline when the correlations are prepared ahead.
 */
public final class ProductBatch {
    /**
     * A product protocol whose openings join the batch's round: protocols outside core add their
     * own kinds (a broadcast product, say) with {@link #add(Product)}.
     */
    public interface Product {
        /** The masked differences to open; each must be uniformly masked by fresh dealer randomness. */
        SharedTensor[] masked();

        /** This party's share of the product, from the opened differences in the order of {@link #masked()}. */
        SharedTensor finish(RingTensor[] opened);
    }

    private final Party party;
    private final List<Product> pending = new ArrayList<>();

    public ProductBatch(Party party) {
        this.party = party;
    }

    /** The party whose products these are. */
    public Party party() {
        return party;
    }

    /** Adds a product defined outside this class; returns its index in {@link #run()}'s result. */
    public int add(Product p) {
        pending.add(p);
        return pending.size() - 1;
    }

    private SharedTensor shared(long[] share, int[] shape) {
        return new SharedTensor(party.id(), RingTensor.of(share, shape));
    }

    /** Adds {@code x * y} (elementwise, same shape); returns its index in {@link #run()}'s result. */
    public int mul(SharedTensor x, SharedTensor y) {
        if (!x.share().sameShape(y.share())) {
            throw new IllegalArgumentException("mul: shapes " + java.util.Arrays.toString(x.shape()) + " and "
                    + java.util.Arrays.toString(y.shape()) + " differ");
        }
        int n = x.size();
        long[][] t = party.dealer().draw(Correlations.triple(n));
        SharedTensor a = shared(t[0], x.shape());
        SharedTensor b = shared(t[1], x.shape());
        SharedTensor c = shared(t[2], x.shape());
        return add(new Product() {
            public SharedTensor[] masked() {
                return new SharedTensor[] {x.sub(a), y.sub(b)};
            }

            public SharedTensor finish(RingTensor[] o) { // z = c + e b + f a + e f (e f by party 0), one pass
                long[] e = o[0].data();
                long[] f = o[1].data();
                long[] av = a.share().data();
                long[] bv = b.share().data();
                long[] cv = c.share().data();
                long[] z = new long[e.length];
                long own = party.id() == 0 ? 1 : 0;
                for (int i = 0; i < z.length; i++) {
                    z[i] = cv[i] + e[i] * bv[i] + f[i] * av[i] + own * (e[i] * f[i]);
                }
                return shared(z, x.shape());
            }
        });
    }

    /** Adds {@code x * x}. */
    public int square(SharedTensor x) {
        long[][] t = party.dealer().draw(Correlations.square(x.size()));
        SharedTensor r = shared(t[0], x.shape());
        SharedTensor r2 = shared(t[1], x.shape());
        return add(new Product() {
            public SharedTensor[] masked() {
                return new SharedTensor[] {x.sub(r)};
            }

            public SharedTensor finish(RingTensor[] o) { // x^2 = r^2 + 2 e r + e^2 (e^2 by party 0), one pass
                long[] e = o[0].data();
                long[] rv = r.share().data();
                long[] r2v = r2.share().data();
                long[] z = new long[e.length];
                long own = party.id() == 0 ? 1 : 0;
                for (int i = 0; i < z.length; i++) {
                    z[i] = r2v[i] + 2 * e[i] * rv[i] + own * (e[i] * e[i]);
                }
                return shared(z, x.shape());
            }
        });
    }

    /**
     * Adds {@code op(x) op(y)} over the last two dimensions: {@code [m,k] x [k,n]} or batched
     * {@code [B,m,k] x [B,k,n]} with the same leading dimensions.
     */
    public int matmul(SharedTensor x, SharedTensor y, boolean transX, boolean transY) {
        int[] xs = x.shape();
        int[] ys = y.shape();
        if (xs.length != ys.length || xs.length < 2) {
            throw new IllegalArgumentException("matmul: operands need the same rank >= 2, got "
                    + java.util.Arrays.toString(xs) + " and " + java.util.Arrays.toString(ys));
        }
        int m = transX ? xs[xs.length - 1] : xs[xs.length - 2];
        int k = transX ? xs[xs.length - 2] : xs[xs.length - 1];
        int ky = transY ? ys[ys.length - 1] : ys[ys.length - 2];
        int n = transY ? ys[ys.length - 2] : ys[ys.length - 1];
        int batch = x.size() / Math.max(1, m * k);
        if (k != ky || y.size() != batch * k * n) {
            throw new IllegalArgumentException("matmul: shapes " + java.util.Arrays.toString(xs) + (transX ? "^T" : "")
                    + " and " + java.util.Arrays.toString(ys) + (transY ? "^T" : "") + " do not multiply");
        }
        long[][] t = party.dealer().draw(Correlations.matmulTriple(batch, m, k, n, transX, transY));
        SharedTensor a = shared(t[0], xs);
        SharedTensor b = shared(t[1], ys);
        int[] zs = xs.clone();
        zs[zs.length - 2] = m;
        zs[zs.length - 1] = n;
        SharedTensor c = shared(t[2], zs);
        return add(new Product() {
            public SharedTensor[] masked() {
                return new SharedTensor[] {x.sub(a), y.sub(b)};
            }

            public SharedTensor finish(RingTensor[] o) { // Z_i = C_i + E Y_i + A_i F, so that sum = XY
                RingTensor e = o[0];
                RingTensor f = o[1];
                RingTensor ey = e.matmul(y.share(), transX, transY);
                RingTensor af = a.share().matmul(f, transX, transY);
                return c.add(shared(ey.data(), zs)).add(shared(af.data(), zs));
            }
        });
    }

    /**
     * Adds {@code x w} for a {@link FixedWeight} w ({@code k x n}); x is {@code [..., k]}. Only
     * x - a is opened: w's mask was opened once when the weight was prepared.
     */
    public int matmulWeight(SharedTensor x, FixedWeight w) {
        int[] xs = x.shape();
        if (xs[xs.length - 1] != w.rows()) {
            throw new IllegalArgumentException("matmulWeight: input " + java.util.Arrays.toString(xs)
                    + " does not match weight " + w.rows() + " x " + w.cols());
        }
        int m = x.size() / Math.max(1, w.rows());
        long[][] t = party.dealer().draw(Correlations.weightProduct(m, w));
        SharedTensor a = shared(t[0], xs);
        int[] zs = xs.clone();
        zs[zs.length - 1] = w.cols();
        SharedTensor d = shared(t[2], zs);
        return add(new Product() {
            public SharedTensor[] masked() {
                return new SharedTensor[] {x.sub(a)};
            }

            public SharedTensor finish(RingTensor[] o) { // Z_i = E W_i + D_i, D_i = A_i F + C_i prepared
                return d.add(shared(w.share().multiplyFromLeft(o[0]).data(), zs));
            }
        });
    }

    /** Number of products added and not yet run. */
    public int size() {
        return pending.size();
    }

    /** Opens all masked differences in one round and returns the products in the order they were added. */
    public SharedTensor[] run() {
        Masked m = masked();
        RingTensor[] opened = m.tensors().length == 0 ? new RingTensor[0] : Open.open(party, m.tensors());
        SharedTensor[] out = finish(pending, m.counts(), opened);
        pending.clear();
        return out;
    }

    /**
     * The batch's openings, to go out in a round another protocol makes (a comparison's digit round,
     * say): send {@link Round#payloads()} in that exchange, give the peer's answer to
     * {@link Round#receive}, then take the products from {@link Round#results()}. The batch is
     * emptied.
     */
    public Round round() {
        Masked m = masked();
        return new Round(m.tensors(), new ArrayList<>(pending), m.counts());
    }

    /** A batch's openings riding in another protocol's round. */
    public final class Round {
        private final SharedTensor[] masked;
        private final int[] widths;
        private final List<Product> products;
        private final int[] counts;
        private SharedTensor[] results;

        private Round(SharedTensor[] masked, List<Product> products, int[] counts) {
            this.masked = masked;
            this.widths = new int[masked.length];
            java.util.Arrays.fill(widths, 64);
            this.products = products;
            this.counts = counts;
            pending.clear();
        }

        /** This party's masked differences, one payload each (64 bits per element). */
        public byte[][] payloads() {
            return Open.payloads(widths, masked);
        }

        /** The peer's payloads, in the order of {@link #payloads()}: finishes the products. */
        public void receive(byte[][] theirs) {
            results = finish(products, counts, Open.received(theirs, widths, masked));
        }

        /** The products in the order they were added. */
        public SharedTensor[] results() {
            if (results == null) {
                throw new IllegalStateException("the round's answer has not been received");
            }
            return results;
        }
    }

    /** Every pending product's masked differences, and how many each has. */
    private record Masked(SharedTensor[] tensors, int[] counts) {
    }

    private Masked masked() {
        List<SharedTensor> all = new ArrayList<>();
        int[] counts = new int[pending.size()];
        for (int i = 0; i < counts.length; i++) {
            SharedTensor[] m = pending.get(i).masked();
            counts[i] = m.length;
            all.addAll(List.of(m));
        }
        return new Masked(all.toArray(SharedTensor[]::new), counts);
    }

    private static SharedTensor[] finish(List<Product> products, int[] counts, RingTensor[] opened) {
        SharedTensor[] out = new SharedTensor[products.size()];
        int pos = 0;
        for (int i = 0; i < products.size(); i++) {
            RingTensor[] mine = java.util.Arrays.copyOfRange(opened, pos, pos + counts[i]);
            pos += counts[i];
            out[i] = products.get(i).finish(mine);
        }
        return out;
    }
}
