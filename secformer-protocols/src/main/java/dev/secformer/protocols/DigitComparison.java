package dev.secformer.protocols;

import dev.secformer.core.BasicCorrelation;
import dev.secformer.core.Correlation;
import dev.secformer.core.Correlation.DerivedPart;
import dev.secformer.core.Correlation.RandomPart;
import dev.secformer.core.Open;
import dev.secformer.core.Party;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import java.util.List;

/**
 * Dealer-assisted sign test for bounded inputs: reads [x &lt; 0] from the low l bits of x, for
 * |x| &lt; 2^(l-1) in the ring (with f = 16 and l = 32: |x| &lt; 32768 in real units).
 *
 * <p>Steps, for y = x + 2^(l-1), which lies in [0, 2^l) and is below 2^(l-1) exactly when x &lt; 0:
 * <ol>
 *   <li>The dealer draws r uniform (additive shares), and gives, XOR-shared: the top bit r_top =
 *       bit l-1 of r; for every 4-bit digit r_i of r' = r mod 2^(l-1) the two 16-bit tables
 *       lt_i[v] = [v &lt; r_i] and eq_i[v] = [v = r_i]; AND triples on bits; and a random bit beta
 *       in both XOR and additive sharing.</li>
 *   <li>Open c = y + r mod 2^l (1 round, l bits per element per party). It is uniform in Z_2^l
 *       because r mod 2^l is, and 2^l divides 2^64 so each party can reduce its share.</li>
 *   <li>Then y = c - r mod 2^l, whose top bit is c_top XOR r_top XOR borrow, borrow = [c' &lt; r']
 *       for the low l-1 bits. Each party looks up lt_i[c_i] and eq_i[c_i] in its table shares (c is
 *       public): XOR shares of L_i = [c_i &lt; r_i] and E_i = [c_i = r_i], no communication.</li>
 *   <li>Combine digits from the most significant: (L, E) = (L_hi XOR E_hi L_lo, E_hi E_lo), a tree of
 *       ceil(log2 D) levels over D = ceil((l-1)/4) digits, each level's ANDs in 1 round (2 bits per
 *       AND per party).</li>
 *   <li>[x &lt; 0] = NOT top bit (XOR-shared); convert to additive shares with beta: open
 *       z = bit XOR beta (1 round, 1 bit per party), then bit = z + beta - 2 z beta.</li>
 * </ol>
 *
 * <p>Cost per element, l = 32 (D = 8, 14 ANDs): rounds 1 + 3 + 1 = 5; online bits
 * 2 (l + 2 * 14 + 1) = 122 (about 15.3 bytes, both parties); dealer material to party 1: 48 bytes
 * (4 words of digit tables, 1 word of XOR bits, 1 additive word). In general rounds =
 * 2 + ceil(log2 D) and online bits = 2 (l + 2 A + 1) with A = 2 (D - 1) ANDs (two per merge).
 *
 * <p>Inputs outside the range give a wrong bit, not an error; {@link RangeCheck} mode reports them.
 */
public final class DigitComparison implements Comparison {
    /** Default number of low bits read: valid for |x| &lt; 2^31 in the ring. */
    public static final int DEFAULT_BITS = 32;
    static final String KIND = "digit-compare";
    private static final int DIGIT = 4;

    private final int bits;

    public DigitComparison() {
        this(DEFAULT_BITS);
    }

    /** @param bits l, in [8, 62]: inputs must satisfy |x| &lt; 2^(l-1) as ring integers */
    public DigitComparison(int bits) {
        if (bits < 8 || bits > 62) {
            throw new IllegalArgumentException("comparison bits must be in [8, 62], got " + bits);
        }
        this.bits = bits;
    }

    public int bits() {
        return bits;
    }

    private static final long EVEN = 0x5555_5555_5555_5555L;
    private static final long ODD = EVEN << 1;
    /** COMPRESS[v] gathers the even bits of the 16-bit v into 8 bits (a software PEXT). */
    private static final byte[] COMPRESS = new byte[1 << 16];

    static {
        for (int v = 0; v < COMPRESS.length; v++) {
            int c = 0;
            for (int j = 0; j < 8; j++) {
                c |= ((v >>> (2 * j)) & 1) << j;
            }
            COMPRESS[v] = (byte) c;
        }
    }

    /** Bits 0, 2, 4, ... of v (the first {@code count} of them) packed into bits 0, 1, 2, ... */
    private static long evenBits(long v, int count) {
        long out = 0;
        for (int shift = 0; shift < 2 * count; shift += 16) {
            out |= (long) (COMPRESS[(int) ((v >>> shift) & 0xFFFF)] & 0xFF) << (shift / 2);
        }
        return out & ((1L << count) - 1);
    }

    static int digits(int bits) {
        return (bits - 1 + DIGIT - 1) / DIGIT;
    }

    /** Number of AND gates per element: two per merge of a pair of digit results. */
    static int andGates(int bits) {
        int ands = 0;
        for (int d = digits(bits); d > 1; d = (d + 1) / 2) {
            ands += 2 * (d / 2);
        }
        return ands;
    }

    /** Rounds of one call. */
    public int rounds() {
        return 2 + 32 - Integer.numberOfLeadingZeros(digits(bits) - 1);
    }

    /** Online bits per element, both parties together. */
    public long onlineBitsPerElement() {
        return 2L * (bits + 2L * andGates(bits) + 1);
    }

    static Correlation correlation(int n, int bits) {
        int d = digits(bits);
        int words = (d + 1) / 2;
        long lowMask = (1L << (bits - 1)) - 1;
        int ands = andGates(bits);
        return new BasicCorrelation(KIND, new long[] {n, bits},
                List.of(RandomPart.fresh(n), RandomPart.freshXor(n), RandomPart.freshXor(n)),
                List.of(DerivedPart.xor(n * words), DerivedPart.xor(n), DerivedPart.additive(n)), rv -> {
                    long[] tables = new long[n * words];
                    long[] misc = new long[n];
                    long[] beta = new long[n];
                    for (int e = 0; e < n; e++) {
                        long r = rv[0][e];
                        long low = r & lowMask;
                        for (int i = 0; i < d; i++) {
                            int digit = (int) ((low >>> ((d - 1 - i) * DIGIT)) & 0xF);
                            long entry = ((1L << digit) - 1) | (1L << (16 + digit));
                            tables[e * words + i / 2] |= entry << (32 * (i & 1));
                        }
                        long triples = (rv[1][e] & rv[2][e]) & ((1L << ands) - 1);
                        misc[e] = ((r >>> (bits - 1)) & 1) | (triples << 1);
                        beta[e] = rv[2][e] >>> 63;
                    }
                    return new long[][] {tables, misc, beta};
                });
    }

    @Override
    public SharedTensor lessThanZero(Party p, SharedTensor x) {
        Pending q = start(p, x);
        return q.finish(p, Open.openModulo(p, bits, q.masked())[0]);
    }

    /**
     * A comparison after its dealer draw, waiting for its first opening (c, {@link #bits()} bits),
     * so that a caller can open it in the same round as another protocol's ({@link Open#openEach}).
     */
    public final class Pending {
        private final SharedTensor masked;
        private final long[][] shares;
        private final int[] shape;

        private Pending(SharedTensor masked, long[][] shares, int[] shape) {
            this.masked = masked;
            this.shares = shares;
            this.shape = shape;
        }

        /** The value to open in Z_2^bits: x + 2^(l-1) + r. */
        public SharedTensor masked() {
            return masked;
        }

        /** The rest of the comparison, from the opened c. */
        public SharedTensor finish(Party p, RingTensor opened) {
            return complete(p, opened.data(), shares, shape);
        }
    }

    /** Draws the dealer material and masks x (no communication). */
    public Pending start(Party p, SharedTensor x) {
        double bound = Math.scalb(1.0, bits - 1 - p.fixedPoint().fractionBits());
        RangeCheck.require(p, x, -bound, bound - Math.scalb(1.0, -p.fixedPoint().fractionBits()), "comparison");
        long[][] s = p.dealer().draw(correlation(x.size(), bits));
        SharedTensor masked = x.addPublic(1L << (bits - 1)).add(new SharedTensor(p.id(), RingTensor.of(s[0], x.shape())));
        return new Pending(masked, s, x.shape());
    }

    private SharedTensor complete(Party p, long[] c, long[][] s, int[] shape) {
        int n = c.length;
        int d = digits(bits);
        int words = (d + 1) / 2;
        boolean p0 = p.id() == 0;
        long[] ta = s[1];
        long[] tb = s[2];
        long[] tables = s[3];
        long[] misc = s[4];
        long[] betaAdd = s[5];

        // Digit results as bit vectors per element: bit i of lt[e] is this party's XOR share of L_i.
        long[] lt = new long[n];
        long[] eq = new long[n];
        long lowMask = (1L << (bits - 1)) - 1;
        for (int e = 0; e < n; e++) {
            long cl = c[e] & lowMask;
            long l = 0;
            long q = 0;
            for (int i = 0; i < d; i++) {
                int ci = (int) ((cl >>> ((d - 1 - i) * DIGIT)) & 0xF);
                long table = tables[e * words + i / 2] >>> (32 * (i & 1));
                l |= ((table >>> ci) & 1) << i;
                q |= ((table >>> (16 + ci)) & 1) << i;
            }
            lt[e] = l;
            eq[e] = q;
        }

        int tripleOffset = 0;
        for (int count = d; count > 1; count = (count + 1) / 2) {
            int pairs = count / 2;
            int k = 2 * pairs;
            long used = (1L << k) - 1;
            long[] xs = new long[n];
            long[] ys = new long[n];
            for (int e = 0; e < n; e++) { // gate 2j: E_hi AND L_lo, gate 2j + 1: E_hi AND E_lo (hi = 2j, lo = 2j + 1)
                long eHi = eq[e] & EVEN;
                xs[e] = (eHi | (eHi << 1)) & used;
                ys[e] = (((lt[e] >>> 1) & EVEN) | (eq[e] & ODD)) & used;
            }
            long[] z = BitAnd.and(p, xs, ys, ta, tb, misc, tripleOffset, k);
            tripleOffset += k;
            for (int e = 0; e < n; e++) {
                long l = evenBits(lt[e] ^ z[e], pairs);
                long q = evenBits(z[e] >>> 1, pairs);
                if ((count & 1) == 1) { // the odd last digit passes through
                    l |= ((lt[e] >>> (count - 1)) & 1) << pairs;
                    q |= ((eq[e] >>> (count - 1)) & 1) << pairs;
                }
                lt[e] = l;
                eq[e] = q;
            }
        }

        // [x < 0] = NOT (c_top XOR r_top XOR borrow), XOR-shared; then to additive shares.
        long[] neg = new long[n];
        for (int e = 0; e < n; e++) {
            long bit = (misc[e] & 1) ^ (lt[e] & 1);
            if (p0) {
                bit ^= ((c[e] >>> (bits - 1)) & 1) ^ 1;
            }
            neg[e] = bit ^ (tb[e] >>> 63);
        }
        long[] zOpen = BitAnd.openBits(p, neg, 1);
        long[] out = new long[n];
        for (int e = 0; e < n; e++) {
            long z = zOpen[e];
            out[e] = (p0 ? z : 0) + (1 - 2 * z) * betaAdd[e];
        }
        return new SharedTensor(p.id(), RingTensor.of(out, shape));
    }
}
