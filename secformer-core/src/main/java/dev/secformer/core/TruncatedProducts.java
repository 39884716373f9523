package dev.secformer.core;

import java.util.ArrayList;
import java.util.List;

import dev.secformer.core.Correlation.DerivedPart;
import dev.secformer.core.Correlation.RandomPart;

/**
 * Products whose operands are exact {@link Truncation}s of raw values, truncated on the way in:
 * the truncation's opening E = x + 2^62 + A is also the operand's Beaver opening, so a fixed-point
 * chain (square, truncate, square, ...) costs one round per product, as with the local
 * truncation, instead of two.
 *
 * <p>With D = (E &gt;&gt;&gt; k) - 2^(62-k) public, the bit e = 1 - msb(E) public, W = 2^(64-k) and
 * the dealer's floor(A / 2^k) = a0 and msb(A) = m, the truncated value is t = D + alpha with
 * alpha = e W m - a0 (see {@link Truncation}); alpha is the operand's mask:
 * <ol>
 *   <li>Dealer: A and a fresh mask per partner (b_j for a plain partner, A_j for a truncated one);
 *       a0, m and the partner's parts and cross terms (a0 b_j, m b_j; or a0_j, m_j, a0 a0_j,
 *       a0 m_j, m a0_j, m m_j); for a square a0^2 and m a0.</li>
 *   <li>Open E and each partner's masked value in the batch's round.</li>
 *   <li>t u_j = D D_j + D beta_j + D_j alpha + alpha beta_j and
 *       t^2 = D^2 + 2 D alpha + e (W^2 m - 2 W m a0) + a0^2, locally, with alpha beta_j expanded
 *       into the dealer's cross terms (e^2 = e, m^2 = m).</li>
 * </ol>
 * The batch also returns t and each partner's value, so that later steps use the same values.
 *
 * <p>Cost per element: 8 bytes per party for E and 8 per partner; dealer to party 1: 16 bytes,
 * plus 16 per plain partner and 48 per truncated one, or 32 bytes for a square. A separate
 * truncation and plain product would open 8 + 16 J bytes (8 for a square) in two rounds with
 * 16 + 8 J dealer bytes. With the local truncation these are local truncations and plain products.
 */
public final class TruncatedProducts {
    private TruncatedProducts() {
    }

    /**
     * A partner of a truncated product: {@code raw / 2^bits}, truncated on the way in as the left
     * operand is, or a plain operand for {@code bits = 0} (masked by a fresh b as in a Beaver product).
     * A partner {@code perRow} has one value per row of the left operand (its size divides the
     * left's), used for each of the row's elements: it is opened once per row.
     */
    public record Operand(SharedTensor raw, int bits, boolean perRow) {
        public Operand {
            checked(bits);
        }

        public static Operand plain(SharedTensor x) {
            return new Operand(x, 0, false);
        }

        public static Operand truncated(SharedTensor raw, int bits) {
            return new Operand(raw, bits, false);
        }

        /** {@code raw / 2^bits} (plain for 0) with one value per row of the left operand. */
        public static Operand perRow(SharedTensor raw, int bits) {
            return new Operand(raw, bits, true);
        }
    }

    /** (raw / 2^bits) y, raw ring product: one round. */
    public static SharedTensor mul(Party p, SharedTensor raw, int bits, SharedTensor y) {
        ProductBatch b = new ProductBatch(p);
        int i = mul(b, raw, bits, Operand.plain(y));
        return b.run()[i];
    }

    /** (raw / 2^bits)^2, raw ring product: one round. */
    public static SharedTensor square(Party p, SharedTensor raw, int bits) {
        ProductBatch b = new ProductBatch(p);
        int i = square(b, raw, bits);
        return b.run()[i];
    }

    /**
     * Adds t u_j to {@code batch} for t = raw / 2^bits and every partner u_j; returns the index i
     * of the first product in the batch's results: products i .. i+J-1, then t at i+J, then each
     * partner's value u_j (truncated, or the plain operand) at i+J+1+j. t is opened once for all
     * partners, so every product uses the same t.
     */
    public static int mul(ProductBatch batch, SharedTensor raw, int bits, Operand... partners) {
        int parts = partners.length;
        int[] widths = widths(raw, partners);
        Party p = batch.party();
        if (!p.fixedPoint().exactTruncation()) {
            SharedTensor t = Truncation.local(raw, 1L << checked(bits));
            SharedTensor[] us = new SharedTensor[parts];
            for (int j = 0; j < parts; j++) {
                us[j] = partners[j].bits() == 0 ? partners[j].raw() : Truncation.local(partners[j].raw(), 1L << partners[j].bits());
            }
            int first = -1;
            for (int j = 0; j < parts; j++) {
                int i = batch.mul(t, expanded(us[j], widths[j], raw.shape()));
                first = first < 0 ? i : first;
            }
            int own = passThrough(batch, t);
            for (SharedTensor u : us) {
                passThrough(batch, u);
            }
            return first < 0 ? own : first;
        }
        return exact(batch, raw, bits, partners, widths);
    }

    /**
     * {@link #mul(ProductBatch, SharedTensor, int, Operand...)} with the exact truncations whatever
     * the fixed point's mode: for values the local truncation would often get wrong.
     */
    public static int mulExact(ProductBatch batch, SharedTensor raw, int bits, Operand... partners) {
        return exact(batch, raw, bits, partners, widths(raw, partners));
    }

    private static int exact(ProductBatch batch, SharedTensor raw, int bits, Operand[] partners, int[] widths) {
        Party p = batch.party();
        int n = raw.size();
        int parts = partners.length;
        int[] partnerBits = new int[parts];
        for (int j = 0; j < parts; j++) {
            partnerBits[j] = partners[j].bits();
        }
        long[][] s = p.dealer().draw(mulCorrelation(n, bits, partnerBits, widths));
        // s: A, then R_j (b_j or A_j) per partner; a0, m; then per partner its derived parts
        Opened left = Opened.truncated(p, raw, bits, s[0], s[parts + 1], s[parts + 2]);
        Opened[] right = new Opened[parts];
        int[] cross = new int[parts];
        int next = parts + 3;
        for (int j = 0; j < parts; j++) {
            if (partnerBits[j] == 0) {
                right[j] = Opened.plain(p, partners[j].raw(), s[1 + j]);
                cross[j] = next;
                next += 2;
            } else {
                right[j] = Opened.truncated(p, partners[j].raw(), partnerBits[j], s[1 + j], s[next], s[next + 1]);
                cross[j] = next + 2;
                next += 6;
            }
        }
        SharedTensor[] results = new SharedTensor[2 * parts + 1];
        SharedTensor[] masked = new SharedTensor[parts + 1];
        masked[0] = left.masked();
        for (int j = 0; j < parts; j++) {
            masked[1 + j] = right[j].masked();
        }
        int first = batch.add(new ProductBatch.Product() {
            public SharedTensor[] masked() {
                return masked;
            }

            public SharedTensor finish(RingTensor[] opened) {
                left.open(opened[0]);
                for (int j = 0; j < parts; j++) {
                    right[j].open(opened[1 + j]);
                    results[j] = left.times(right[j], widths[j], s, cross[j]);
                    results[parts + 1 + j] = right[j].value();
                }
                results[parts] = left.value();
                return results[0];
            }
        });
        for (int j = 1; j < results.length; j++) {
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
        Opened o = Opened.truncated(p, raw, bits, s[0], s[1], s[2]);
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

    /** Elements of the left operand per element of each partner (1, or a row's width), checked. */
    private static int[] widths(SharedTensor raw, Operand[] partners) {
        int[] widths = new int[partners.length];
        for (int j = 0; j < partners.length; j++) {
            Operand u = partners[j];
            boolean fits = u.perRow() ? u.raw().size() > 0 && raw.size() % u.raw().size() == 0
                    : u.raw().share().sameShape(raw.share());
            if (!fits) {
                throw new IllegalArgumentException("truncated product: shapes " + java.util.Arrays.toString(raw.shape())
                        + " and " + java.util.Arrays.toString(u.raw().shape()) + (u.perRow() ? " (per row)" : "") + " do not fit");
            }
            widths[j] = raw.size() / u.raw().size();
        }
        return widths;
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

    /**
     * One party's view of an operand: its masked opening, then the public part D, the public bit e
     * (1 - msb of the opening) and the share of its mask alpha, so that the operand is D + alpha.
     * A truncated operand opens E = x + 2^62 + A and has alpha = e W m - a0; a plain one opens
     * F = y - b and has D = F, alpha = b (no wrap term).
     */
    private static final class Opened {
        private final Party p;
        private final SharedTensor raw;
        /** How a truncated operand is read from its opening; null for a plain one. */
        private final Truncation.Divisor divisor;
        private final long[] a;
        private final long[] a0;
        private final long[] m;
        private long[] d;
        private long[] alpha;
        private boolean[] e;

        private Opened(Party p, SharedTensor raw, Truncation.Divisor divisor, long[] a, long[] a0, long[] m) {
            this.p = p;
            this.raw = raw;
            this.divisor = divisor;
            this.a = a;
            this.a0 = a0;
            this.m = m;
        }

        static Opened truncated(Party p, SharedTensor raw, int bits, long[] a, long[] a0, long[] m) {
            return new Opened(p, raw, Truncation.Divisor.powerOfTwo(bits), a, a0, m);
        }

        static Opened plain(Party p, SharedTensor y, long[] b) {
            return new Opened(p, y, null, b, null, null);
        }

        private boolean plain() {
            return divisor == null;
        }

        private long wrap() {
            return divisor.wrap();
        }

        SharedTensor masked() {
            SharedTensor mask = new SharedTensor(p.id(), RingTensor.of(a, raw.shape()));
            return plain() ? raw.sub(mask) : raw.addPublic(Truncation.OFFSET).add(mask);
        }

        void open(RingTensor opened) {
            long[] big = opened.data();
            if (plain()) {
                d = big;
                alpha = a;
                return;
            }
            int n = big.length;
            d = new long[n];
            alpha = new long[n];
            e = new boolean[n];
            for (int i = 0; i < n; i++) {
                d[i] = divisor.publicPart(big[i]);
                e[i] = big[i] >= 0;
                alpha[i] = divisor.maskShare(big[i], a0[i], m[i]);
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

        /**
         * This (truncated) operand times {@code u}: D D_u (party 0) + D beta + D_u alpha + alpha beta,
         * with alpha beta from the dealer's cross terms {@code s[at..]}: for a plain u (beta = b)
         * e W (m b) - a0 b; for a truncated u (beta = e_u W_u m_u - a0_u)
         * e e_u W W_u (m m_u) - e W (m a0_u) - e_u W_u (a0 m_u) + a0 a0_u. Element i of this operand
         * meets element i / width of u.
         */
        SharedTensor times(Opened u, int width, long[][] s, int at) {
            long own = p.id() == 0 ? 1 : 0;
            long wrap = wrap();
            long[] z = new long[d.length];
            if (u.plain()) {
                long[] a0b = s[at];
                long[] mb = s[at + 1];
                for (int i = 0; i < z.length; i++) {
                    int k = i / width;
                    long cross = (e[i] ? wrap * mb[i] : 0) - a0b[i];
                    z[i] = own * d[i] * u.d[k] + d[i] * u.alpha[k] + u.d[k] * alpha[i] + cross;
                }
            } else {
                long[] a0a0 = s[at];
                long[] a0m = s[at + 1];
                long[] ma0 = s[at + 2];
                long[] mm = s[at + 3];
                long uWrap = u.wrap();
                for (int i = 0; i < z.length; i++) {
                    int k = i / width;
                    long cross = a0a0[i];
                    if (e[i]) {
                        cross -= wrap * ma0[i];
                        if (u.e[k]) {
                            cross += wrap * uWrap * mm[i];
                        }
                    }
                    if (u.e[k]) {
                        cross -= uWrap * a0m[i];
                    }
                    z[i] = own * d[i] * u.d[k] + d[i] * u.alpha[k] + u.d[k] * alpha[i] + cross;
                }
            }
            return shared(z);
        }

        SharedTensor square(long[] a0Squared, long[] ma0) {
            long own = p.id() == 0 ? 1 : 0;
            long wrap = wrap();
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

    /** {@link #mulCorrelation(int, int, int[], int[])} for elementwise partners. */
    public static Correlation mulCorrelation(int n, int bits, int... partnerBits) {
        int[] widths = new int[partnerBits.length];
        java.util.Arrays.fill(widths, 1);
        return mulCorrelation(n, bits, partnerBits, widths);
    }

    /**
     * Fresh A and one fresh R_j per partner (its b_j if plain, its A_j if truncated), of n / widths[j]
     * elements (a partner per row of widths[j] elements); derived a0 = floor(A / 2^bits) and
     * m = msb(A), then per partner: a0 b_j and m b_j (plain), or a0_j, m_j (per row), a0 a0_j,
     * a0 m_j, m a0_j and m m_j (truncated by partnerBits[j] &gt; 0), the products per element of A.
     */
    public static Correlation mulCorrelation(int n, int bits, int[] partnerBits, int[] widths) {
        checked(bits);
        int parts = partnerBits.length;
        if (widths.length != parts) {
            throw new IllegalArgumentException(widths.length + " widths for " + parts + " partners");
        }
        List<RandomPart> random = new ArrayList<>();
        random.add(RandomPart.fresh(n));
        long[] params = new long[3 + 2 * parts];
        params[0] = n;
        params[1] = bits;
        params[2] = parts;
        List<DerivedPart> derived = new ArrayList<>(List.of(DerivedPart.additive(n), DerivedPart.additive(n)));
        for (int j = 0; j < parts; j++) {
            checked(partnerBits[j]);
            if (widths[j] < 1 || n % widths[j] != 0) {
                throw new IllegalArgumentException("partner width " + widths[j] + " does not divide " + n);
            }
            params[3 + j] = partnerBits[j];
            params[3 + parts + j] = widths[j];
            random.add(RandomPart.fresh(n / widths[j]));
            if (partnerBits[j] != 0) {
                derived.add(DerivedPart.additive(n / widths[j]));
                derived.add(DerivedPart.additive(n / widths[j]));
            }
            for (int k = partnerBits[j] == 0 ? 2 : 4; k > 0; k--) {
                derived.add(DerivedPart.additive(n));
            }
        }
        int[] pb = partnerBits.clone();
        int[] w = widths.clone();
        return new BasicCorrelation("truncated-mul", params, random, derived, r -> {
            List<long[]> out = new ArrayList<>();
            long[][] left = Truncation.maskParts(r[0], 1L << bits);
            out.add(left[0]);
            out.add(left[1]);
            for (int j = 0; j < pb.length; j++) {
                if (pb[j] == 0) {
                    out.add(times(left[0], r[1 + j], w[j]));
                    out.add(times(left[1], r[1 + j], w[j]));
                } else {
                    long[][] right = Truncation.maskParts(r[1 + j], 1L << pb[j]);
                    out.add(right[0]);
                    out.add(right[1]);
                    out.add(times(left[0], right[0], w[j]));
                    out.add(times(left[0], right[1], w[j]));
                    out.add(times(left[1], right[0], w[j]));
                    out.add(times(left[1], right[1], w[j]));
                }
            }
            return out.toArray(long[][]::new);
        });
    }

    static Correlation mulFromParameters(long[] p) {
        if (p.length < 3 || p[2] < 0 || p.length != 3 + 2 * p[2]) {
            throw new IllegalArgumentException("truncated-mul needs a size, a shift, a partner count, its shifts and widths");
        }
        int parts = Math.toIntExact(p[2]);
        int[] partnerBits = new int[parts];
        int[] widths = new int[parts];
        for (int j = 0; j < parts; j++) {
            partnerBits[j] = Math.toIntExact(p[3 + j]);
            widths[j] = Math.toIntExact(p[3 + parts + j]);
        }
        return mulCorrelation(Math.toIntExact(p[0]), Math.toIntExact(p[1]), partnerBits, widths);
    }

    /** Fresh A; derived floor(A / 2^bits), msb(A), floor(A / 2^bits)^2 and msb(A) floor(A / 2^bits). */
    public static Correlation squareCorrelation(int n, int bits) {
        checked(bits);
        return new BasicCorrelation("truncated-square", new long[] {n, bits}, List.of(RandomPart.fresh(n)),
                List.of(DerivedPart.additive(n), DerivedPart.additive(n), DerivedPart.additive(n), DerivedPart.additive(n)),
                r -> {
                    long[][] split = Truncation.maskParts(r[0], 1L << bits);
                    return new long[][] {split[0], split[1], times(split[0], split[0]), times(split[1], split[0])};
                });
    }

    private static long[] times(long[] x, long[] y) {
        return times(x, y, 1);
    }

    /** x_i y_(i / width). */
    private static long[] times(long[] x, long[] y, int width) {
        long[] z = new long[x.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = x[i] * y[i / width];
        }
        return z;
    }

    /** A per-row value repeated over its row of {@code width} elements (local), in {@code shape}. */
    private static SharedTensor expanded(SharedTensor perRow, int width, int[] shape) {
        if (width == 1) {
            return perRow;
        }
        long[] in = perRow.share().data();
        long[] out = new long[in.length * width];
        for (int i = 0; i < out.length; i++) {
            out[i] = in[i / width];
        }
        return new SharedTensor(perRow.partyId(), RingTensor.of(out, shape));
    }
}
