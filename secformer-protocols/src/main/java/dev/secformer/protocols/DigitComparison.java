package dev.secformer.protocols;

import dev.secformer.core.BasicCorrelation;
import dev.secformer.core.Correlation;
import dev.secformer.core.Correlation.DerivedPart;
import dev.secformer.core.Correlation.RandomPart;
import dev.secformer.core.Open;
import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.TruncatedProducts;
import dev.secformer.core.Truncation;
import dev.secformer.core.Wire;
import java.util.List;

/**
 * Dealer-assisted sign test for bounded inputs: reads [x &lt; 0] from the low l bits of x, for
 * |x| &lt; 2^(l-1) in the ring (with f = 16 and l = 32: |x| &lt; 32768 in real units).
 *
 * <p>Steps, for y = x + 2^(l-1), which lies in [0, 2^l) and is below 2^(l-1) exactly when x &lt; 0:
 * <ol>
 *   <li>The dealer draws r uniform (additive shares), and gives, XOR-shared: the top bit r_top =
 *       bit l-1 of r; for every 4-bit digit r_i of r' = r mod 2^(l-1) the 17-bit table
 *       T_i[v] = [v &lt;= r_i] (v = 0..16); masks and their products for {@link DigitPrefix}; and a
 *       random bit beta in both XOR and additive sharing.</li>
 *   <li>Open c = y + r mod 2^l (1 round, l bits per element per party). It is uniform in Z_2^l
 *       because r mod 2^l is, and 2^l divides 2^64 so each party can reduce its share.</li>
 *   <li>Then y = c - r mod 2^l, whose top bit is c_top XOR r_top XOR borrow, borrow = [c' &lt; r']
 *       for the low l-1 bits. Each party reads T_i[c_i] and T_i[c_i + 1] from its table shares (c is
 *       public): XOR shares of L_i = [c_i &lt; r_i] = T_i[c_i + 1] and E_i = [c_i = r_i] =
 *       T_i[c_i] XOR T_i[c_i + 1], no communication.</li>
 *   <li>Combine the D = ceil((l-1)/4) digits, most significant first: L = XOR_i L_i E_0 ... E_(i-1),
 *       in 1 round for up to 8 digits ({@link DigitPrefix}: each product of bits is local once the
 *       bits are opened under masks whose products the dealer shares; 2 (D - 1) bits per party).
 *       Wider comparisons combine blocks of up to 8 digits so, then the blocks by the tree
 *       (L, E) = (L_hi XOR E_hi L_lo, E_hi E_lo), one round per level (2 bits per AND per party).</li>
 *   <li>[x &lt; 0] = NOT top bit (XOR-shared); convert to additive shares with beta: open
 *       z = bit XOR beta (1 round, 1 bit per party), then bit = z + beta - 2 z beta.</li>
 * </ol>
 *
 * <p>The bits of steps 3 to 5 are bit-sliced: one word holds one digit's bit for 64 elements, so an
 * AND gate costs a few word operations per 64 elements and its openings need no packing.
 *
 * <p><b>Times a value</b> ({@link Signs#times}): [x &lt; 0] v for a shared v, in the conversion's
 * round. With bit = z XOR beta: bit v = z v + (1 - 2z) beta v, and beta v = (v - m) beta + beta m for
 * a dealer mask m with [beta m] dealt; only v - m (64 bits per element per party) is opened, beside
 * z. It replaces a comparison followed by a Beaver product: one round and 16 online bytes per
 * element fewer. When the values are public multiples of one shared value per group of g
 * comparisons, v_e = s_(e mod g) u_(e / g) ({@link Signs#bitsAndTimes}), one mask per group
 * serves them all: u - m is opened once per group and beta_e v_e = s (f beta_e + [beta_e m]).
 * Values not yet truncated after a product ({@link #start(Party, SharedTensor, int, int)}) are
 * truncated on the way in as {@link TruncatedProducts} does: E = u + 2^62 + m is opened instead of
 * u - m, the truncated u is D + alpha with alpha = e 2^(64-k) msb(m) - floor(m / 2^k), and the
 * dealer deals beta floor(m / 2^k) and beta msb(m) (and floor(m / 2^k), msb(m)) instead of beta m.
 *
 * <p>Cost per element, l = 32 (D = 8, one block): rounds 1 + 1 + 1 = 3; online bits
 * 2 (l + 14 + 1) = 94 (about 11.8 bytes, both parties; each bit vector is rounded up to whole
 * bytes); dealer material to party 1: 32 bytes plus 368 bits (3 words of digit tables, three
 * tables a word; 1 additive word; 367 mask products and r_top), 78 bytes; times a value: + 16
 * online bytes, + 8 dealer bytes. In general, with B = ceil(D / 8) blocks, rounds =
 * 3 + ceil(log2 B) and online bits = 2 (l + P + 2 A + 1) with P opened prefix bits and A = 2 (B - 1)
 * ANDs (two per merge).
 *
 * <p>Inputs outside the range give a wrong bit, not an error; {@link RangeCheck} mode reports them.
 */
public final class DigitComparison implements Comparison {
    /** Default number of low bits read: valid for |x| &lt; 2^31 in the ring. */
    public static final int DEFAULT_BITS = 32;
    static final String KIND = "digit-compare";
    static final int DIGIT = 4;
    /** Bits of one digit's table T[v] = [v &lt;= r_i], v = 0..16, and tables per word. */
    static final int TABLE = 17;
    static final int TABLES_PER_WORD = 3;

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

    static int digits(int bits) {
        return (bits - 1 + DIGIT - 1) / DIGIT;
    }

    static DigitPrefix prefix(int bits) {
        return new DigitPrefix(digits(bits));
    }

    /** Number of AND gates per element: two per merge of a pair of block results. */
    static int andGates(int bits) {
        int ands = 0;
        for (int b = prefix(bits).blocks(); b > 1; b = (b + 1) / 2) {
            ands += 2 * (b / 2);
        }
        return ands;
    }

    /** Rounds of one call. */
    public int rounds() {
        return 3 + 32 - Integer.numberOfLeadingZeros(prefix(bits).blocks() - 1);
    }

    /** Online bits per element, both parties together (exact when the element count is a multiple of 8). */
    public long onlineBitsPerElement() {
        return 2L * (bits + prefix(bits).vectors() + 2L * andGates(bits) + 1);
    }

    /**
     * Online bytes of one call on n elements, both parties together; {@code group}: 0 for the bits
     * alone, g for products with one opened value per g elements ({@link Signs#bitsAndTimes}).
     */
    public long onlineBytes(long n, int group) {
        long perParty = Wire.packedBytes(n, bits) + (prefix(bits).vectors() + 2L * andGates(bits) + 1) * Wire.sliceBytes(n)
                + (group > 0 ? 8 * (n / group) : 0);
        return 2 * perParty;
    }

    /** {@link #onlineBytes(long, int)} for comparisons whose masks serve {@code shared} each ({@link #startThresholds}). */
    public long onlineBytes(long n, int group, int shared) {
        return onlineBytes(n, group) - 2 * (Wire.packedBytes(n, bits) - Wire.packedBytes(n / shared, bits));
    }

    /** Words of digit tables per element. */
    static int tableWords(int bits) {
        return (digits(bits) + TABLES_PER_WORD - 1) / TABLES_PER_WORD;
    }

    /** Dealer bytes to party 1 for one call on n elements. */
    static long dealerBytes(long n, int bits, int group) {
        return dealerBytes(n, bits, group, 0);
    }

    /** The same with values truncated by {@code valueShift} on the way in ({@link #start(Party, SharedTensor, int, int)}). */
    static long dealerBytes(long n, int bits, int group, int valueShift) {
        return dealerBytes(n, bits, group, valueShift, 1);
    }

    /** The same for comparisons whose masks serve {@code shared} each ({@link #startThresholds}). */
    static long dealerBytes(long n, int bits, int group, int valueShift, int shared) {
        long slices = (n + 63) / 64;
        long times = group == 0 ? 0 : valueShift == 0 ? n : 2 * n + 2 * (n / group);
        return 8 * (n / shared * tableWords(bits) + slices * (andGates(bits) + prefix(bits).products() + 1) + n + times);
    }

    /**
     * The dealer's material for n comparisons, bit-sliced: random parts r (additive), triple words a
     * and b, beta and the prefix masks (XOR), and with {@code group} g &gt; 0 a mask m per g elements;
     * derived parts the digit tables (one word per three digits per element, {@link DigitLookup}'s
     * layout), the triple words c = a AND b, the masks' products ({@link DigitPrefix}), r_top (one
     * bit per element), beta (additive) and with {@code group} &gt; 0 beta_e m_(e / g) (additive).
     * With {@code valueShift} k &gt; 0 the values are truncated by k on the way in, m is the
     * truncation's mask A ({@link TruncatedProducts}) and the derived parts end with floor(m / 2^k)
     * and msb(m) per group and beta_e floor(m / 2^k), beta_e msb(m) per element instead. With
     * {@code readShift} s &gt; 0 the digit tables and r_top come from bits s .. s + l - 1 of r.
     */
    static Correlation correlation(int n, int bits, int group, int valueShift, int readShift) {
        return correlation(n, bits, group, valueShift, readShift, 1);
    }

    /**
     * The same with one mask r (and its digit tables) for every run of {@code shared} consecutive
     * comparisons: comparisons of one value with several public thresholds ({@link #startThresholds}).
     */
    static Correlation correlation(int n, int bits, int group, int valueShift, int readShift, int shared) {
        if (shared < 1 || n % shared != 0) {
            throw new IllegalArgumentException(shared + " comparisons per mask do not divide " + n);
        }
        if (readShift < 0 || readShift + bits > 64) {
            throw new IllegalArgumentException("read shift " + readShift + " must be in [0, " + (64 - bits) + "]");
        }
        if (group < 0 || group > 0 && n % group != 0) {
            throw new IllegalArgumentException("group " + group + " does not divide " + n + " comparisons");
        }
        if (valueShift < 0 || valueShift > 62 || valueShift > 0 && group == 0) {
            throw new IllegalArgumentException("value shift " + valueShift + " must be in [0, 62], and 0 without values");
        }
        int d = digits(bits);
        int words = tableWords(bits);
        int slices = (n + 63) >>> 6;
        int ands = andGates(bits);
        DigitPrefix prefix = prefix(bits);
        long lowMask = (1L << (bits - 1)) - 1;
        int masks = n / shared;
        List<RandomPart> random = new java.util.ArrayList<>(List.of(RandomPart.fresh(masks),
                RandomPart.freshXor(ands * slices), RandomPart.freshXor(ands * slices), RandomPart.freshXor(slices),
                RandomPart.freshXor(prefix.vectors() * slices)));
        List<DerivedPart> derived = new java.util.ArrayList<>(List.of(DerivedPart.xor(masks * words),
                DerivedPart.xor(ands * slices), DerivedPart.xor(prefix.products() * slices), DerivedPart.xor(slices),
                DerivedPart.additive(n)));
        if (group > 0) {
            random.add(RandomPart.fresh(n / group));
            if (valueShift > 0) {
                derived.add(DerivedPart.additive(n / group));
                derived.add(DerivedPart.additive(n / group));
                derived.add(DerivedPart.additive(n));
            }
            derived.add(DerivedPart.additive(n));
        }
        return new BasicCorrelation(KIND, new long[] {n, bits, group, valueShift, readShift, shared}, random, derived, rv -> {
            long[] tables = new long[masks * words];
            long[] rTop = new long[slices];
            long[] beta = new long[n];
            for (int e = 0; e < n; e++) {
                long r = rv[0][e / shared] >>> readShift; // the bits of r the comparison reads
                long low = r & lowMask;
                for (int i = 0; e % shared == 0 && i < d; i++) {
                    int digit = (int) ((low >>> ((d - 1 - i) * DIGIT)) & 0xF);
                    long table = (1L << (digit + 1)) - 1; // T[v] = [v <= digit]
                    tables[(i / TABLES_PER_WORD) * masks + e / shared] |= table << (TABLE * (i % TABLES_PER_WORD));
                }
                rTop[e >>> 6] |= ((r >>> (bits - 1)) & 1) << e;
                beta[e] = (rv[3][e >>> 6] >>> e) & 1;
            }
            long[] c = new long[ands * slices];
            for (int w = 0; w < c.length; w++) {
                c[w] = rv[1][w] & rv[2][w];
            }
            long[] products = prefix.dealerProducts(rv[4], slices);
            if (group == 0) {
                return new long[][] {tables, c, products, rTop, beta};
            }
            if (valueShift == 0) {
                long[] betaM = new long[n];
                for (int e = 0; e < n; e++) {
                    betaM[e] = beta[e] * rv[5][e / group];
                }
                return new long[][] {tables, c, products, rTop, beta, betaM};
            }
            long[][] parts = Truncation.maskParts(rv[5], 1L << valueShift);
            long[] a0 = parts[0];
            long[] top = parts[1];
            long[] betaA0 = new long[n];
            long[] betaTop = new long[n];
            for (int e = 0; e < n; e++) {
                betaA0[e] = beta[e] * a0[e / group];
                betaTop[e] = beta[e] * top[e / group];
            }
            return new long[][] {tables, c, products, rTop, beta, a0, top, betaA0, betaTop};
        });
    }

    /**
     * This party's shares of one call's material, by name, in {@link #correlation}'s order: the
     * random parts r, a, b, beta, the prefix masks (XOR) and m (with a group), then the derived parts;
     * with a value shift, betaM holds beta floor(m / 2^k) and mA0, mTop and betaTop the rest.
     */
    private record Material(long[] r, long[] ta, long[] tb, long[] betaXor, long[] masks, long[] m, long[] tables,
                            long[] tc, long[] products, long[] rTop, long[] beta, long[] betaM, int group,
                            int valueShift, long[] mA0, long[] mTop, long[] betaTop) {
        static Material of(long[][] s, int group, int valueShift) {
            int derived = group > 0 ? 6 : 5;
            boolean shifted = valueShift > 0;
            return new Material(s[0], s[1], s[2], s[3], s[4], group > 0 ? s[5] : null, s[derived], s[derived + 1],
                    s[derived + 2], s[derived + 3], s[derived + 4], group > 0 ? s[derived + (shifted ? 7 : 5)] : null, group,
                    valueShift, shifted ? s[derived + 5] : null, shifted ? s[derived + 6] : null,
                    shifted ? s[derived + 8] : null);
        }

        /** Comparisons. */
        int size() {
            return beta.length;
        }

        /** The same material with the digit tables of each mask repeated for its {@code shared} comparisons. */
        Material sharingTables(int shared) {
            if (shared == 1) {
                return this;
            }
            int values = r.length;
            int words = tables.length / values;
            long[] expanded = new long[words * values * shared];
            for (int w = 0; w < words; w++) {
                for (int e = 0; e < values; e++) {
                    java.util.Arrays.fill(expanded, (w * values + e) * shared, (w * values + e + 1) * shared, tables[w * values + e]);
                }
            }
            return new Material(r, ta, tb, betaXor, masks, m, expanded, tc, products, rTop, beta, betaM, group, valueShift,
                    mA0, mTop, betaTop);
        }
    }

    @Override
    public SharedTensor lessThanZero(Party p, SharedTensor x) {
        return signs(p, x, 0).bits(p);
    }

    /** [x &lt; 0] v elementwise, for v of x's shape (any scale): {@link #rounds()} rounds. */
    public SharedTensor negativeTimes(Party p, SharedTensor x, SharedTensor v) {
        return signs(p, x, 1).times(p, v);
    }

    /**
     * All but the last round of a comparison that opens nothing else on its way ({@link #start},
     * the first opening, the combining rounds); {@code group} as for {@link #start}.
     */
    public Signs signs(Party p, SharedTensor x, int group) {
        Pending q = start(p, x, group);
        return q.signs(p, Open.openModulo(p, bits, q.masked())[0], null);
    }

    /**
     * A comparison after its dealer draw, waiting for its first opening (c, {@link #bits()} bits),
     * so that a caller can open it in the same round as another protocol's ({@link Open#openEach}).
     */
    public final class Pending {
        private final SharedTensor masked;
        private final Material material;
        private final int[] shape;
        /** For {@link #startThresholds}: the thresholds, count per opened value; null otherwise. */
        private final long[] thresholds;

        private Pending(SharedTensor masked, Material material, int[] shape, long[] thresholds) {
            this.masked = masked;
            this.material = material;
            this.shape = shape;
            this.thresholds = thresholds;
        }

        /** The value to open in Z_2^bits: x + 2^(l-1) + r. */
        public SharedTensor masked() {
            return masked;
        }

        /**
         * The combining rounds from the opened c ({@code rounds() - 2}); {@code rider}, if given,
         * sends its openings in the first of them.
         */
        public Signs signs(Party p, RingTensor opened, ProductBatch.Round rider) {
            long[] c = opened.data();
            if (thresholds != null) { // c - T for each threshold of each value
                int count = thresholds.length / c.length;
                long low = (1L << bits) - 1;
                long[] each = new long[thresholds.length];
                for (int e = 0; e < thresholds.length; e++) {
                    each[e] = (c[e / count] - thresholds[e]) & low;
                }
                c = each;
            }
            return new Signs(andTree(p, c, material, rider), material, shape);
        }
    }

    /** The signs, XOR-shared and bit-sliced, waiting for the conversion round. */
    public static final class Signs {
        private final long[] neg;
        private final Material material;
        private final int[] shape;

        private Signs(long[] neg, Material material, int[] shape) {
            this.neg = neg;
            this.material = material;
            this.shape = shape;
        }

        /** Additive shares of [x &lt; 0] (ring integers 0/1): 1 round. */
        public SharedTensor bits(Party p) {
            int n = material.size();
            long[] z = BitAnd.openSlices(p, neg, 1, n);
            long own = p.id() == 0 ? 1 : 0;
            long[] out = new long[n];
            for (int e = 0; e < n; e++) {
                out[e] = bit(z, e, own);
            }
            return new SharedTensor(p.id(), RingTensor.of(out, shape));
        }

        /** This party's additive share of element e's bit z XOR beta: z + beta - 2 z beta (z by party 0). */
        private long bit(long[] z, int e, long own) {
            long ze = (z[e >>> 6] >>> e) & 1;
            return own * ze + (1 - 2 * ze) * material.beta()[e];
        }

        /** [x &lt; 0] v elementwise (started with group 1): 1 round, the opening of v - m beside z. */
        public SharedTensor times(Party p, SharedTensor v) {
            return bitsAndTimes(p, v, new long[] {1})[1];
        }

        /**
         * Additive shares of [x_e &lt; 0] and of [x_e &lt; 0] s_(e mod g) u_(e / g) for the g = {@code
         * scales.length} the comparison was started with, in one round: z and u - m (one value per
         * group) are opened together.
         */
        public SharedTensor[] bitsAndTimes(Party p, SharedTensor u, long[] scales) {
            int n = material.size();
            int group = material.group();
            if (group == 0 || scales.length != group) {
                throw new IllegalStateException("this comparison was started with material for groups of " + group
                        + ", not " + scales.length);
            }
            if ((long) u.size() * group != n) {
                throw new IllegalArgumentException("times: " + u.size() + " values in groups of " + group + " for "
                        + n + " comparisons");
            }
            long[] uv = u.share().data();
            long[] m = material.m();
            long own = p.id() == 0 ? 1 : 0;
            Truncation.Divisor divisor = material.valueShift() == 0 ? null : Truncation.Divisor.powerOfTwo(material.valueShift());
            long[] um = new long[uv.length]; // u - m, or for a truncated u the truncation's opening u + 2^62 + m
            for (int g = 0; g < um.length; g++) {
                um[g] = divisor == null ? uv[g] - m[g] : uv[g] + m[g] + own * Truncation.OFFSET;
            }
            byte[][] in = p.channel().exchange(new byte[][] {Wire.packSlices(neg, 1, n), Wire.pack(um, 64)});
            long[] z = BitAnd.xorSlices(neg, in[0], 1, n);
            long[] theirs = Wire.unpack(in[1], um.length, 64);
            long[] beta = material.beta();
            long[] betaM = material.betaM();
            long[] bits = new long[n];
            long[] out = new long[n];
            for (int g = 0, e = 0; g < um.length; g++) {
                long opened = um[g] + theirs[g];
                // u = f + m, or for a truncated u: D + alpha (D public, alpha its mask)
                long f = divisor == null ? opened : divisor.publicPart(opened);
                long value = divisor == null ? uv[g] : own * f + divisor.maskShare(opened, material.mA0()[g], material.mTop()[g]);
                for (int k = 0; k < group; k++, e++) {
                    long s = scales[k];
                    long ze = (z[e >>> 6] >>> e) & 1;
                    bits[e] = bit(z, e, own);
                    // beta u = f beta + [beta m], or D beta + [beta alpha] for a truncated u
                    long betaMask = divisor == null ? betaM[e] : divisor.maskShare(opened, betaM[e], material.betaTop()[e]);
                    out[e] = ze * s * value + (1 - 2 * ze) * s * (f * beta[e] + betaMask);
                }
            }
            return new SharedTensor[] {new SharedTensor(p.id(), RingTensor.of(bits, shape)),
                    new SharedTensor(p.id(), RingTensor.of(out, shape))};
        }
    }

    /**
     * Draws the dealer material and masks x (no communication); {@code group} g &gt; 0: also material
     * for {@link Signs#bitsAndTimes} with one shared value per g elements (1 for {@link Signs#times}).
     */
    public Pending start(Party p, SharedTensor x, int group) {
        return start(p, x, group, 0);
    }

    /**
     * {@link #start(Party, SharedTensor, int)} for values that come to {@link Signs#bitsAndTimes}
     * not yet truncated: they are divided by 2^valueShift on the way in (the opened u + 2^62 + m is
     * the truncation's opening, {@link TruncatedProducts}), exact for |u| &lt; 2^62, at 16 more dealer
     * bytes per value and per element.
     */
    public Pending start(Party p, SharedTensor x, int group, int valueShift) {
        double bound = Math.scalb(1.0, bits - 1 - p.fixedPoint().fractionBits());
        RangeCheck.require(p, x, -bound, bound - Math.scalb(1.0, -p.fixedPoint().fractionBits()), "comparison");
        return begin(p, x, null, 1, 0, group, valueShift, x.shape());
    }

    /**
     * Comparisons of each of n values x_e with {@code count} public thresholds each:
     * [x_e &lt; 2^s T_(e,i)] for {@code thresholds} T given value-major (n count of them) in units of
     * 2^s, s = readShift.
     *
     * <p>Read from bit s: x is at f + s fractional bits, not truncated. Each party sends bits
     * s .. s + l - 1 of its own share of x + 2^(s+l-1) + r, so their sum is off by the carry of the
     * low s bits (0 or 1), and the dealer's tables describe those bits of r: the result is exact for
     * every x - 2^s T outside [-2^(s+1), 2^(s+1)) ring units and either bit inside, for
     * |x - 2^s T| &lt; 2^(s+l-1) - 2^(s+1). It replaces a truncation of x by s bits, and its round, at
     * no cost; the sent values are uniform (r is uniform modulo 2^(s+l)).
     *
     * <p>One mask r_e serves all the thresholds of x_e: once c_e = x_e + 2^(s+l-1) + r_e (read from
     * bit s) is open, c_e - T_(e,i) is the masked value of comparison (e, i), so a value costs one
     * l-bit opening and one set of digit tables for all its thresholds; the combining openings stay
     * per comparison, under fresh masks. Nothing more is revealed: every c_e - T_(e,i) follows from
     * c_e, which is uniform. Values for {@link Signs#bitsAndTimes}: one per x_e (group
     * {@code count}), divided by 2^valueShift on the way in. Per comparison: online 2 (P + 2 A + 1)
     * bits (30 for l = 32) and 8 (3 + ...) dealer bytes less the tables, plus per value 2 l bits and
     * the tables.
     */
    public Pending startThresholds(Party p, SharedTensor x, long[] thresholds, int count, int readShift, int valueShift) {
        return startThresholds(p, x, thresholds, count, readShift, count, valueShift);
    }

    /**
     * The same with material for {@link Signs#bitsAndTimes} with one value per {@code group}
     * comparisons (1 for {@link Signs#times}, a value per comparison; 0 for the bits alone), the
     * comparisons ordered value by value, its thresholds in turn.
     */
    public Pending startThresholds(Party p, SharedTensor x, long[] thresholds, int count, int readShift, int group,
                                   int valueShift) {
        int n = x.size();
        if (count < 1 || thresholds.length != (long) n * count) {
            throw new IllegalArgumentException(thresholds.length + " thresholds for " + n + " values, " + count + " each");
        }
        if (RangeCheck.enabled()) {
            int f = p.fixedPoint().fractionBits();
            double margin = Math.scalb(1.0, bits - 1) - 2;
            double[] lo = new double[n];
            double[] hi = new double[n];
            for (int e = 0; e < n; e++) {
                long tMin = Long.MAX_VALUE;
                long tMax = Long.MIN_VALUE;
                for (int i = 0; i < count; i++) {
                    tMin = Math.min(tMin, thresholds[e * count + i]);
                    tMax = Math.max(tMax, thresholds[e * count + i]);
                }
                lo[e] = Math.scalb(tMax - margin, -f);
                hi[e] = Math.scalb(tMin + margin, -f);
            }
            BoundsCheck.require(p, x, f + readShift, lo, hi, false, "comparison", "input");
        }
        return begin(p, x, thresholds.clone(), count, readShift, group, valueShift, new int[] {n, count});
    }

    /**
     * Draws the material of {@code count} comparisons per element of x (one mask and its digit
     * tables per element) and masks x, read from bit {@code readShift} ({@link #startThresholds}).
     */
    private Pending begin(Party p, SharedTensor x, long[] thresholds, int count, int readShift, int group, int valueShift,
                          int[] shape) {
        if (valueShift > 0 && !p.fixedPoint().exactTruncation()) {
            throw new IllegalArgumentException("values truncated on the way in need the exact truncation");
        }
        Material m = Material.of(p.dealer().draw(correlation(x.size() * count, bits, group, valueShift, readShift, count)),
                group, valueShift).sharingTables(count);
        long[] shares = x.addPublic(1L << (readShift + bits - 1)).share().data();
        long[] r = m.r();
        long[] masked = new long[shares.length];
        for (int e = 0; e < masked.length; e++) {
            masked[e] = (shares[e] + r[e]) >>> readShift;
        }
        return new Pending(new SharedTensor(p.id(), RingTensor.of(masked, x.shape())), m, shape, thresholds);
    }

    /** Steps 3 and 4 and the XOR of step 5: this party's share of [x &lt; 0], bit-sliced. */
    private long[] andTree(Party p, long[] c, Material s, ProductBatch.Round rider) {
        int n = c.length;
        int d = digits(bits);
        int slices = (n + 63) >>> 6;
        boolean p0 = p.id() == 0;

        // digitLt[i * slices + w] bit j: this party's XOR share of L_i for element 64 w + j; eq likewise.
        long[] digitLt = new long[d * slices];
        long[] digitEq = new long[d * slices];
        DigitLookup.DEFAULT.lookup(c, s.tables(), bits, digitLt, digitEq);

        DigitPrefix prefix = prefix(bits);
        long[] masked = prefix.masked(digitLt, digitEq, s.masks(), slices);
        long[] opened = BitAnd.openSlices(p, masked, prefix.vectors(), n, rider);
        long[] lt = new long[prefix.blocks() * slices];
        long[] eq = new long[lt.length];
        prefix.combine(opened, digitLt, digitEq, s.masks(), s.products(), p0, slices, lt, eq);

        int gate = 0;
        for (int count = prefix.blocks(); count > 1; count = (count + 1) / 2) {
            int pairs = count / 2;
            // Gates j < pairs: E_hi AND L_lo; gates pairs + j: E_hi AND E_lo (hi = 2j, lo = 2j + 1).
            long[] xs = new long[2 * pairs * slices];
            long[] ys = new long[2 * pairs * slices];
            for (int j = 0; j < pairs; j++) {
                System.arraycopy(eq, 2 * j * slices, xs, j * slices, slices);
                System.arraycopy(eq, 2 * j * slices, xs, (pairs + j) * slices, slices);
                System.arraycopy(lt, (2 * j + 1) * slices, ys, j * slices, slices);
                System.arraycopy(eq, (2 * j + 1) * slices, ys, (pairs + j) * slices, slices);
            }
            long[] z = BitAnd.andSlices(p, xs, ys, s.ta(), s.tb(), s.tc(), gate * slices, 2 * pairs, n);
            gate += 2 * pairs;
            long[] nextLt = new long[((count + 1) / 2) * slices];
            long[] nextEq = new long[nextLt.length];
            for (int j = 0; j < pairs; j++) {
                for (int w = 0; w < slices; w++) {
                    nextLt[j * slices + w] = lt[2 * j * slices + w] ^ z[j * slices + w];
                    nextEq[j * slices + w] = z[(pairs + j) * slices + w];
                }
            }
            if ((count & 1) == 1) { // the odd last digit passes through
                System.arraycopy(lt, (count - 1) * slices, nextLt, pairs * slices, slices);
                System.arraycopy(eq, (count - 1) * slices, nextEq, pairs * slices, slices);
            }
            lt = nextLt;
            eq = nextEq;
        }

        // [x < 0] = NOT (c_top XOR r_top XOR borrow), XOR-shared, then masked by beta for the conversion.
        long[] neg = new long[slices];
        for (int w = 0; w < slices; w++) {
            long bit = s.rTop()[w] ^ lt[w] ^ s.betaXor()[w];
            if (p0) {
                long cTop = 0;
                for (int e = w << 6, end = Math.min(n, (w + 1) << 6); e < end; e++) {
                    cTop |= ((c[e] >>> (bits - 1)) & 1) << e;
                }
                bit ^= ~cTop;
            }
            neg[w] = bit;
        }
        return neg;
    }
}
