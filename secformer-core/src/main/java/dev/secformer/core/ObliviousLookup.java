package dev.secformer.core;

import java.util.List;

import dev.secformer.core.Correlation.DerivedPart;
import dev.secformer.core.Correlation.RandomPart;

/**
 * Oblivious row lookup: from additive shares of row indices, shares of those rows of a secret
 * {@link LookupTable}, neither party learning an index or the table. A client's request is then
 * two ring words per index instead of a one-hot row of V words.
 *
 * <p>An index i has digits (i_hi, i_lo) in [0, S1) x [0, S2), the table is W_jk (an H-row for each
 * digit pair) and W = T + B with T public and B the table's persistent dealer mask. For each index
 * the dealer deals offsets r = (r_hi, r_lo), one-hot vectors e at r_hi (S1 words) and r_lo (S2),
 * fresh masks a (S1) and b (S2), and a (x) b, alpha_k = sum_j a_j B_jk, beta_j = sum_k b_k B_jk,
 * gamma = sum_jk a_j b_k B_jk.
 * <ol>
 *   <li>Open d = i - r digit by digit, mod S2: uniform, as r is (round 1, {@link #start}).</li>
 *   <li>Rotate the shares of e by d: shares of the one-hot x = e_(i_hi) and y = e_(i_lo), locally.</li>
 *   <li>Open X = x - a and Y = y - b (round 2, joining the caller's {@link ProductBatch}).</li>
 *   <li>W[i] = sum_jk x_j y_k W_jk = (X (x) Y) W + sum_j X_j B'_j + sum_k Y_k A'_k + G, with the terms
 *   B'_j = beta_j + sum_k b_k T_jk, A'_k = alpha_k + sum_j a_j T_jk and G = gamma + sum_jk (a (x) b)_jk T_jk
 *   folded into the dealer's shares offline ({@link Correlation#precompute}).</li>
 * </ol>
 *
 * <p>Costs per index: 2 rounds; online 2 ceil(log2(S2) / 8) bytes (round 1) and 8 (S1 + S2)
 * bytes (round 2) per party, where a one-hot product opens 8 S1 S2; online work S1 S2 H
 * multiply-adds (the product a one-hot row costs too) plus (S1 + S2) H. Dealer: 8 (S1 + S2 + S1 S2
 * + (S1 + S2) H + H) bytes to party 1, and per party offline 3 S1 S2 H multiply-adds. The
 * vocabulary of BERT (30,522 rows, S1 = 128, S2 = 256) at H = 768: 3 KB online and 2.6 MB dealer per
 * index.
 */
public final class ObliviousLookup {
    private ObliviousLookup() {
    }

    /**
     * A client's request for rows {@code indices} of a table of {@code rows} rows: the digits
     * {@code [n, 2]} (high, low) that it secret-shares between the parties.
     */
    public static RingTensor digits(int[] indices, int rows) {
        int lowBits = LookupTable.lowBits(rows);
        long[] d = new long[2 * indices.length];
        for (int t = 0; t < indices.length; t++) {
            int i = indices[t];
            if (i < 0 || i >= rows) {
                throw new IllegalArgumentException("index " + i + " at position " + t + " is outside [0, " + rows + ")");
            }
            d[2 * t] = i >>> lowBits;
            d[2 * t + 1] = i & ((1 << lowBits) - 1);
        }
        return RingTensor.of(d, indices.length, 2);
    }

    /**
     * Steps 1 and 2: opens the digits' offsets (one round) and returns the product whose opening
     * (step 3) joins a {@link ProductBatch}; its result is the rows {@code [n, H]}.
     *
     * @param digits shares of the digits {@code [n, 2]} of {@link #digits}
     */
    public static ProductBatch.Product start(Party p, SharedTensor digits, LookupTable table) {
        int[] s = digits.shape();
        if (s.length != 2 || s[1] != 2) {
            throw new IllegalArgumentException("lookup digits must have shape [n, 2], got " + java.util.Arrays.toString(s));
        }
        int n = s[0];
        int s1 = 1 << table.highBits();
        int s2 = 1 << table.lowBits();
        int width = s1 + s2;
        long[][] c = p.dealer().draw(product(n, table));
        long[] d = Open.openModulo(p, table.lowBits(),
                digits.sub(new SharedTensor(p.id(), RingTensor.of(c[0], n, 2))))[0].data();
        long[] oneHot = c[3];
        long[] xy = new long[n * width];
        for (int t = 0; t < n; t++) {
            rotate(oneHot, t * width, xy, t * width, s1, (int) d[2 * t]);
            rotate(oneHot, t * width + s1, xy, t * width + s1, s2, (int) d[2 * t + 1]);
        }
        SharedTensor masked = new SharedTensor(p.id(), RingTensor.of(xy, n, width))
                .sub(new SharedTensor(p.id(), RingTensor.of(c[1], n, width)));
        return new ProductBatch.Product() {
            public SharedTensor[] masked() {
                return new SharedTensor[] {masked};
            }

            public SharedTensor finish(RingTensor[] opened) {
                return new SharedTensor(p.id(), RingTensor.of(rows(opened[0].data(), n, s1, s2, table, c), n, table.cols()));
            }
        };
    }

    /** {@code out[j] = in[j - shift mod size]} over one digit's one-hot share. */
    private static void rotate(long[] in, int inOff, long[] out, int outOff, int size, int shift) {
        int k = shift & (size - 1);
        System.arraycopy(in, inOff, out, outOff + k, size - k);
        System.arraycopy(in, inOff + size - k, out, outOff, k);
    }

    /** Step 4: (X (x) Y) W_i + sum_j X_j B'_j + sum_k Y_k A'_k + G from the opened {@code [n, S1 + S2]}. */
    private static long[] rows(long[] xy, int n, int s1, int s2, LookupTable table, long[][] c) {
        int h = table.cols();
        int width = s1 + s2;
        long[] outer = new long[n * s1 * s2];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < s1; j++) {
                long x = xy[t * width + j];
                int o = (t * s1 + j) * s2;
                for (int k = 0; k < s2; k++) {
                    outer[o + k] = x * xy[t * width + s1 + k];
                }
            }
        }
        long[] z = table.share().multiplyFromLeft(RingTensor.of(outer, n, s1 * s2)).data();
        long[] alpha = c[5];
        long[] beta = c[6];
        long[] gamma = c[7];
        for (int t = 0; t < n; t++) {
            int zo = t * h;
            for (int j = 0; j < s1; j++) {
                axpy(xy[t * width + j], beta, (j * n + t) * h, z, zo, h);
            }
            for (int k = 0; k < s2; k++) {
                axpy(xy[t * width + s1 + k], alpha, (t * s2 + k) * h, z, zo, h);
            }
            axpy(1, gamma, zo, z, zo, h);
        }
        return z;
    }

    private static void axpy(long a, long[] x, int xOff, long[] y, int yOff, int len) {
        for (int i = 0; i < len; i++) {
            y[yOff + i] += a * x[xOff + i];
        }
    }

    /**
     * The dealer's recipe for {@code n} lookups in a table of {@code 2^(highBits + lowBits)} rows of
     * {@code h} columns under the persistent mask {@code key}. Random parts: offsets r {@code [n, 2]},
     * masks (a | b) {@code [n, S1 + S2]}, the mask B. Derived: one-hots (e_hi | e_lo) {@code [n, S1 + S2]},
     * a (x) b {@code [n, S1 S2]}, alpha {@code [n, S2, H]}, beta {@code [S1, n, H]}, gamma {@code [n, H]}.
     */
    public static BasicCorrelation correlation(int n, int highBits, int lowBits, int h, long key) {
        if (highBits < 0 || lowBits < Math.max(1, highBits) || lowBits > 15) {
            throw new IllegalArgumentException("digit widths " + highBits + " and " + lowBits + " out of range");
        }
        int s1 = 1 << highBits;
        int s2 = 1 << lowBits;
        int width = s1 + s2;
        int table = Math.multiplyExact(s1 * s2, h);
        return new BasicCorrelation("lookup", new long[] {n, highBits, lowBits, h, key},
                List.of(RandomPart.fresh(2 * n), RandomPart.fresh(Math.multiplyExact(n, width)),
                        RandomPart.persistentDealerOnly(table, key)),
                List.of(DerivedPart.additive(n * width), DerivedPart.additive(Math.multiplyExact(n, s1 * s2)),
                        DerivedPart.additive(Math.multiplyExact(n, s2 * h)), DerivedPart.additive(Math.multiplyExact(n, s1 * h)),
                        DerivedPart.additive(n * h)),
                r -> derive(r[0], r[1], r[2], n, s1, s2, h));
    }

    private static long[][] derive(long[] offsets, long[] masks, long[] b, int n, int s1, int s2, int h) {
        int width = s1 + s2;
        long[] oneHot = new long[n * width];
        long[][] ab = split(masks, n, s1, s2);
        long[] aMask = ab[0];
        long[] bMask = ab[1];
        long[] outer = new long[n * s1 * s2];
        for (int t = 0; t < n; t++) {
            oneHot[t * width + (int) (offsets[2 * t] & (s1 - 1))] = 1;
            oneHot[t * width + s1 + (int) (offsets[2 * t + 1] & (s2 - 1))] = 1;
            for (int j = 0; j < s1; j++) {
                for (int k = 0; k < s2; k++) {
                    outer[(t * s1 + j) * s2 + k] = aMask[t * s1 + j] * bMask[t * s2 + k];
                }
            }
        }
        long[][] alphaBeta = contract(aMask, bMask, b, n, s1, s2, h);
        long[] beta = alphaBeta[1];
        long[] gamma = new long[n * h];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < s1; j++) {
                axpy(aMask[t * s1 + j], beta, (j * n + t) * h, gamma, t * h, h);
            }
        }
        return new long[][] {oneHot, outer, alphaBeta[0], beta, gamma};
    }

    /** The masks a {@code [n, S1]} and b {@code [n, S2]} from their rows (a | b) {@code [n, S1 + S2]}. */
    private static long[][] split(long[] masks, int n, int s1, int s2) {
        long[] a = new long[n * s1];
        long[] b = new long[n * s2];
        for (int t = 0; t < n; t++) {
            System.arraycopy(masks, t * (s1 + s2), a, t * s1, s1);
            System.arraycopy(masks, t * (s1 + s2) + s1, b, t * s2, s2);
        }
        return new long[][] {a, b};
    }

    /**
     * sum_j a_j M_jk ({@code [n, S2, H]}) and sum_k b_k M_jk ({@code [S1, n, H]}) for a table M
     * ({@code [S1 S2, H]} row-major): alpha and beta with the mask B at the dealer, the terms of the
     * public T at a party.
     */
    private static long[][] contract(long[] a, long[] b, long[] m, int n, int s1, int s2, int h) {
        long[] overHigh = new long[n * s2 * h];
        RingMatmul.multiply(a, 0, false, m, 0, false, overHigh, 0, n, s1, s2 * h);
        long[] overLow = new long[n * s1 * h];
        for (int j = 0; j < s1; j++) {
            RingMatmul.multiply(b, 0, false, m, j * s2 * h, false, overLow, j * n * h, n, s2, h);
        }
        return new long[][] {overHigh, overLow};
    }

    /**
     * The recipe as a party draws it: the public T's terms folded into its shares offline, alpha into
     * A', beta into B' and gamma into G (step 4).
     */
    static Correlation product(int n, LookupTable table) {
        int s1 = 1 << table.highBits();
        int s2 = 1 << table.lowBits();
        int h = table.cols();
        long[] t = table.opened();
        return correlation(n, table.highBits(), table.lowBits(), h, table.key()).withPrecompute(s -> {
            long[][] ab = split(s[1], n, s1, s2);
            long[][] terms = contract(ab[0], ab[1], t, n, s1, s2, h);
            axpy(1, terms[0], 0, s[5], 0, s[5].length);
            axpy(1, terms[1], 0, s[6], 0, s[6].length);
            long[] abTerm = new long[n * h];
            RingMatmul.multiply(s[4], 0, false, t, 0, false, abTerm, 0, n, s1 * s2, h);
            axpy(1, abTerm, 0, s[7], 0, s[7].length);
        });
    }
}
