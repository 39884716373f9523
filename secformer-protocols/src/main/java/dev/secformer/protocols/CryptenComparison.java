package dev.secformer.protocols;

import dev.secformer.core.BasicCorrelation;
import dev.secformer.core.Correlation;
import dev.secformer.core.Correlation.DerivedPart;
import dev.secformer.core.Correlation.RandomPart;
import dev.secformer.core.Party;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import java.util.List;

/**
 * The CrypTen-style comparison baseline: arithmetic-to-binary conversion of the whole 64-bit value
 * and a Kogge-Stone carry-lookahead adder, valid for every ring element.
 *
 * <pre>
 *   a = x0 (party 0's share, XOR-shared as (x0, 0)); b = x1 (as (0, x1))
 *   g = a AND b, p = a XOR b                      1 round (1 AND of 64-bit words)
 *   for s = 1, 2, 4, 8, 16, 32:                   6 rounds
 *       g = g XOR (p AND (g &lt;&lt; s)); p = p AND (p &lt;&lt; s)   (2 ANDs; the last level needs only g)
 *   msb = bit 63 of (a XOR b XOR (g &lt;&lt; 1))      local
 *   [x &lt; 0] = msb, to additive shares with a random bit beta: open z = msb XOR beta   1 round
 * </pre>
 *
 * <p>Cost per element: 8 rounds; 12 ANDs of 64-bit words, each opening 2 words per party, plus 1
 * bit: 2 (12 * 128 + 1) = 3074 online bits, about 384 bytes (both parties); dealer: 12 words of
 * AND triples plus 1 additive word, 104 bytes to party 1.
 */
public final class CryptenComparison implements Comparison {
    static final String KIND = "crypten-compare";
    private static final int[] SHIFTS = {1, 2, 4, 8, 16, 32};
    /** AND gates per element: 1 for g, 2 per level, 1 at the last level. */
    static final int GATES = 1 + 2 * (SHIFTS.length - 1) + 1;

    static Correlation correlation(int n) {
        int g = n * GATES;
        return new BasicCorrelation(KIND, new long[] {n},
                List.of(RandomPart.freshXor(g), RandomPart.freshXor(g), RandomPart.freshXor(n)),
                List.of(DerivedPart.xor(g), DerivedPart.additive(n)), rv -> {
                    long[] c = new long[g];
                    for (int i = 0; i < g; i++) {
                        c[i] = rv[0][i] & rv[1][i];
                    }
                    long[] beta = new long[n];
                    for (int i = 0; i < n; i++) {
                        beta[i] = rv[2][i] >>> 63;
                    }
                    return new long[][] {c, beta};
                });
    }

    /** Rounds of one call. */
    public int rounds() {
        return 1 + SHIFTS.length + 1;
    }

    @Override
    public SharedTensor lessThanZero(Party p, SharedTensor x) {
        int n = x.size();
        long[][] s = p.dealer().draw(correlation(n));
        WordTriples t = new WordTriples(s[0], s[1], s[3], s[2], n);
        long[] share = x.share().data();
        long[] a = p.id() == 0 ? share.clone() : new long[n];
        long[] b = p.id() == 1 ? share.clone() : new long[n];
        long[] prop = new long[n];
        for (int i = 0; i < n; i++) {
            prop[i] = a[i] ^ b[i];
        }
        long[] gen = t.and(p, new long[][] {a}, new long[][] {b})[0];
        for (int level = 0; level < SHIFTS.length; level++) {
            int sh = SHIFTS[level];
            long[] gs = new long[n];
            long[] ps = new long[n];
            for (int i = 0; i < n; i++) {
                gs[i] = gen[i] << sh;
                ps[i] = prop[i] << sh;
            }
            boolean last = level == SHIFTS.length - 1;
            long[][] z = last ? t.and(p, new long[][] {prop}, new long[][] {gs})
                    : t.and(p, new long[][] {prop, prop}, new long[][] {gs, ps});
            for (int i = 0; i < n; i++) {
                gen[i] ^= z[0][i];
            }
            if (!last) {
                prop = z[1];
            }
        }
        long[] msb = new long[n];
        for (int i = 0; i < n; i++) {
            msb[i] = ((a[i] ^ b[i] ^ (gen[i] << 1)) >>> 63) ^ t.beta(i);
        }
        long[] z = BitAnd.openBits(p, msb, 1);
        long[] out = new long[n];
        long[] betaAdd = s[4];
        for (int i = 0; i < n; i++) {
            out[i] = (p.id() == 0 ? z[i] : 0) + (1 - 2 * z[i]) * betaAdd[i];
        }
        return new SharedTensor(p.id(), RingTensor.of(out, x.shape()));
    }

    /** The AND triples of one call, consumed gate by gate in order. */
    private static final class WordTriples {
        private final long[] a;
        private final long[] b;
        private final long[] c;
        private final long[] betaWords;
        private final int n;
        private int used;

        WordTriples(long[] a, long[] b, long[] c, long[] betaWords, int n) {
            this.a = a;
            this.b = b;
            this.c = c;
            this.betaWords = betaWords;
            this.n = n;
        }

        /** This party's XOR share of the random bit beta of element i. */
        long beta(int i) {
            return betaWords[i] >>> 63;
        }

        /** Gates xs[j] AND ys[j] on XOR-shared words, all in one round (Beaver over GF(2)). */
        long[][] and(Party p, long[][] xs, long[][] ys) {
            int k = xs.length;
            long[] de = new long[2 * k * n];
            for (int j = 0; j < k; j++) {
                int base = (used + j) * n;
                for (int i = 0; i < n; i++) {
                    de[j * n + i] = xs[j][i] ^ a[base + i];
                    de[(k + j) * n + i] = ys[j][i] ^ b[base + i];
                }
            }
            long[] opened = BitAnd.openBits(p, de, 64);
            long[][] z = new long[k][n];
            for (int j = 0; j < k; j++) {
                int base = (used + j) * n;
                for (int i = 0; i < n; i++) {
                    long d = opened[j * n + i];
                    long e = opened[(k + j) * n + i];
                    long v = c[base + i] ^ (d & b[base + i]) ^ (e & a[base + i]);
                    z[j][i] = p.id() == 0 ? v ^ (d & e) : v;
                }
            }
            used += k;
            return z;
        }
    }
}
