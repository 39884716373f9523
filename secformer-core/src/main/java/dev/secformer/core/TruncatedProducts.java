package dev.secformer.core;

import java.util.ArrayList;
import java.util.List;

import dev.secformer.core.Correlation.DerivedPart;
import dev.secformer.core.Correlation.RandomPart;

/**
 * Products whose left operand is the exact {@link Truncation} of a raw value, truncated on the way
 * in: the truncation's opening E = x + 2^62 + A is also the operand's Beaver opening, so a
 * fixed-point chain (square, truncate, square, ...) costs one round per product, as with the
 * local truncation, instead of two.
 *
 * <p>With D = (E &gt;&gt;&gt; k) - 2^(62-k) public, the bit e = 1 - msb(E) public, W = 2^(64-k) and
 * the dealer's floor(A / 2^k) = a0 and msb(A) = m, the truncated value is t = D + alpha with
 * alpha = e W m - a0 (see {@link Truncation}); alpha is the operand's mask:
 * <ol>
 *   <li>Dealer: A, b_j fresh; a0, m, a0 b_j and m b_j (a product) or a0^2 and m a0 (a square).</li>
 *   <li>Open E and F_j = y_j - b_j in the batch's round.</li>
 *   <li>t y_j = D F_j + D b_j + F_j alpha + e W (m b_j) - a0 b_j and
 *       t^2 = D^2 + 2 D alpha + e (W^2 m - 2 W m a0) + a0^2, locally (using e^2 = e, m^2 = m).</li>
 * </ol>
 * The batch also returns t itself.
 *
 * <p>Cost per element: 8 bytes per party for E and 8 per partner y_j; dealer to party 1: 16 + 16 J
 * bytes (J partners) or 32 bytes (a square). A separate truncation and products would open 8 + 16 J
 * (8 for a square) bytes in two rounds. With the local truncation these are a local truncation and
 * a plain product.
 */
public final class TruncatedProducts {
    private static final long OFFSET = 1L << 62;

    private TruncatedProducts() {
    }

    /** (raw / 2^bits) y, raw ring product: one round. */
    public static SharedTensor mul(Party p, SharedTensor raw, int bits, SharedTensor y) {
        ProductBatch b = new ProductBatch(p);
        int i = mul(b, raw, bits, y);
        return b.run()[i];
    }

    /** (raw / 2^bits)^2, raw ring product: one round. */
    public static SharedTensor square(Party p, SharedTensor raw, int bits) {
        ProductBatch b = new ProductBatch(p);
        int i = square(b, raw, bits);
        return b.run()[i];
    }

    /**
     * Adds (raw / 2^bits) y_j for every y_j to {@code batch}; returns the index of the first product
     * in the batch's results: the products follow in order, then the truncated value itself.
     */
    public static int mul(ProductBatch batch, SharedTensor raw, int bits, SharedTensor... ys) {
        for (SharedTensor y : ys) {
            if (!y.share().sameShape(raw.share())) {
                throw new IllegalArgumentException("truncated product: shapes " + java.util.Arrays.toString(raw.shape())
                        + " and " + java.util.Arrays.toString(y.shape()) + " differ");
            }
        }
        Party p = batch.party();
        if (!p.fixedPoint().exactTruncation()) {
            SharedTensor t = Truncation.local(raw, 1L << checked(bits));
            int first = -1;
            for (SharedTensor y : ys) {
                int i = batch.mul(t, y);
                first = first < 0 ? i : first;
            }
            int own = passThrough(batch, t);
            return first < 0 ? own : first;
        }
        int n = raw.size();
        long[][] s = p.dealer().draw(mulCorrelation(n, bits, ys.length));
        int parts = ys.length;
        // s: A, b_1..b_J, a0, m, then (a0 b_j, m b_j) for each j
        Opened o = new Opened(p, raw, bits, s[0], s[parts + 1], s[parts + 2]);
        SharedTensor[] results = new SharedTensor[parts + 1];
        List<SharedTensor> masked = new ArrayList<>();
        masked.add(o.masked());
        for (int j = 0; j < parts; j++) {
            masked.add(ys[j].sub(new SharedTensor(p.id(), RingTensor.of(s[1 + j], raw.shape()))));
        }
        int first = batch.add(new ProductBatch.Product() {
            public SharedTensor[] masked() {
                return masked.toArray(SharedTensor[]::new);
            }

            public SharedTensor finish(RingTensor[] opened) {
                o.open(opened[0]);
                for (int j = 0; j < parts; j++) {
                    results[j] = o.product(opened[1 + j].data(), s[1 + j], s[parts + 3 + 2 * j], s[parts + 4 + 2 * j]);
                }
                results[parts] = o.value();
                return parts > 0 ? results[0] : results[parts];
            }
        });
        for (int j = 1; j <= parts; j++) {
            int k = j;
            passThrough(batch, () -> results[k]);
        }
        return first;
    }

    /**
     * Adds (raw / 2^bits)^2 to {@code batch}; returns its index in the batch's results, the
     * truncated value itself following it.
     */
    public static int square(ProductBatch batch, SharedTensor raw, int bits) {
        Party p = batch.party();
        if (!p.fixedPoint().exactTruncation()) {
            SharedTensor t = Truncation.local(raw, 1L << checked(bits));
            int i = batch.square(t);
            passThrough(batch, t);
            return i;
        }
        long[][] s = p.dealer().draw(squareCorrelation(raw.size(), bits));
        Opened o = new Opened(p, raw, bits, s[0], s[1], s[2]);
        SharedTensor[] value = new SharedTensor[1];
        int i = batch.add(new ProductBatch.Product() {
            public SharedTensor[] masked() {
                return new SharedTensor[] {o.masked()};
            }

            public SharedTensor finish(RingTensor[] opened) {
                o.open(opened[0]);
                value[0] = o.value();
                return o.square(s[3], s[4]);
            }
        });
        passThrough(batch, () -> value[0]);
        return i;
    }

    private static int passThrough(ProductBatch batch, SharedTensor t) {
        return passThrough(batch, () -> t);
    }

    /** A result computed by an earlier product of the batch, which opens nothing of its own. */
    private static int passThrough(ProductBatch batch, java.util.function.Supplier<SharedTensor> result) {
        return batch.add(new ProductBatch.Product() {
            public SharedTensor[] masked() {
                return new SharedTensor[0];
            }

            public SharedTensor finish(RingTensor[] opened) {
                return result.get();
            }
        });
    }

    private static int checked(int bits) {
        if (bits < 0 || bits > 62) {
            throw new IllegalArgumentException("truncation by " + bits + " bits is out of range [0, 62]");
        }
        return bits;
    }

    /** One party's view of the truncated operand: its opening, then D, e and alpha. */
    private static final class Opened {
        private final Party p;
        private final SharedTensor raw;
        private final int bits;
        private final long[] a;
        private final long[] a0;
        private final long[] m;
        private final long wrap;
        private long[] d;
        private long[] alpha;
        private boolean[] e;

        Opened(Party p, SharedTensor raw, int bits, long[] a, long[] a0, long[] m) {
            this.p = p;
            this.raw = raw;
            this.bits = checked(bits);
            this.a = a;
            this.a0 = a0;
            this.m = m;
            this.wrap = bits == 0 ? 0 : 1L << (64 - bits);
        }

        SharedTensor masked() {
            return raw.addPublic(OFFSET).add(new SharedTensor(p.id(), RingTensor.of(a, raw.shape())));
        }

        void open(RingTensor opened) {
            long[] big = opened.data();
            int n = big.length;
            d = new long[n];
            alpha = new long[n];
            e = new boolean[n];
            long offset = OFFSET >>> bits;
            for (int i = 0; i < n; i++) {
                d[i] = (big[i] >>> bits) - offset;
                e[i] = big[i] >= 0;
                alpha[i] = (e[i] ? wrap * m[i] : 0) - a0[i];
            }
        }

        SharedTensor value() {
            long[] t = alpha.clone();
            if (p.id() == 0) {
                for (int i = 0; i < t.length; i++) {
                    t[i] += d[i];
                }
            }
            return shared(t);
        }

        SharedTensor product(long[] f, long[] b, long[] a0b, long[] mb) {
            long own = p.id() == 0 ? 1 : 0;
            long[] z = new long[f.length];
            for (int i = 0; i < z.length; i++) {
                z[i] = own * d[i] * f[i] + d[i] * b[i] + f[i] * alpha[i] + (e[i] ? wrap * mb[i] : 0) - a0b[i];
            }
            return shared(z);
        }

        SharedTensor square(long[] a0Squared, long[] ma0) {
            long own = p.id() == 0 ? 1 : 0;
            long[] z = new long[d.length];
            for (int i = 0; i < z.length; i++) {
                long wrapTerms = e[i] ? wrap * wrap * m[i] - 2 * wrap * ma0[i] : 0;
                z[i] = own * d[i] * d[i] + 2 * d[i] * alpha[i] + wrapTerms + a0Squared[i];
            }
            return shared(z);
        }

        private SharedTensor shared(long[] v) {
            return new SharedTensor(p.id(), RingTensor.of(v, raw.shape()));
        }
    }

    /** Fresh A and b_1..b_J; derived floor(A / 2^bits), msb(A), then a0 b_j and msb(A) b_j for each j. */
    public static Correlation mulCorrelation(int n, int bits, int partners) {
        checked(bits);
        if (partners < 0) {
            throw new IllegalArgumentException("negative partner count " + partners);
        }
        List<RandomPart> random = new ArrayList<>();
        for (int j = 0; j <= partners; j++) {
            random.add(RandomPart.fresh(n));
        }
        List<DerivedPart> derived = new ArrayList<>();
        for (int j = 0; j < 2 + 2 * partners; j++) {
            derived.add(DerivedPart.additive(n));
        }
        return new BasicCorrelation("truncated-mul", new long[] {n, bits, partners}, random, derived, r -> {
            long[][] out = new long[2 + 2 * partners][];
            long[][] split = split(r[0], bits);
            out[0] = split[0];
            out[1] = split[1];
            for (int j = 0; j < partners; j++) {
                out[2 + 2 * j] = times(split[0], r[1 + j]);
                out[3 + 2 * j] = times(split[1], r[1 + j]);
            }
            return out;
        });
    }

    /** Fresh A; derived floor(A / 2^bits), msb(A), floor(A / 2^bits)^2 and msb(A) floor(A / 2^bits). */
    public static Correlation squareCorrelation(int n, int bits) {
        checked(bits);
        return new BasicCorrelation("truncated-square", new long[] {n, bits}, List.of(RandomPart.fresh(n)),
                List.of(DerivedPart.additive(n), DerivedPart.additive(n), DerivedPart.additive(n), DerivedPart.additive(n)),
                r -> {
                    long[][] split = split(r[0], bits);
                    return new long[][] {split[0], split[1], times(split[0], split[0]), times(split[1], split[0])};
                });
    }

    private static long[][] split(long[] a, int bits) {
        long[] a0 = new long[a.length];
        long[] m = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            a0[i] = a[i] >>> bits;
            m[i] = a[i] >>> 63;
        }
        return new long[][] {a0, m};
    }

    private static long[] times(long[] x, long[] y) {
        long[] z = new long[x.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = x[i] * y[i];
        }
        return z;
    }
}
