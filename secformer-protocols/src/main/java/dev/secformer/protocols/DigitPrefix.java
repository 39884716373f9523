package dev.secformer.protocols;

/**
 * The digit comparison's combining step in one round: for a block of k digits (most significant
 * first) with XOR-shared bits L_i = [c_i &lt; r_i] and E_i = [c_i = r_i], the block's
 * L = XOR_i L_i E_0 ... E_(i-1) (the terms exclude each other) and, when blocks are merged
 * afterwards, E = E_0 ... E_(k-1).
 *
 * <p>Each product of bits is a monomial in the opened X_f = f XOR m_f: over GF(2),
 * prod_f (X_f XOR m_f) = XOR over subsets S of (prod_(f not in S) X_f) (prod_(f in S) m_f), so with
 * the dealer's shares of the masks' products every term is local once the X_f are open. Opened per
 * element: L_1..L_(k-1) and E_0..E_(k-2) (E_(k-1) too when E is needed), one bit each per party.
 * Dealer words per 64 elements: the products b_S of the E masks over every S of two or more of them,
 * and a_i b_S for L_i's mask a_i and every non-empty S of the E masks before i: for k = 8 without
 * E, 120 + 247 = 367. Blocks have at most {@link #MAX_BLOCK} digits (2^k products each).
 *
 * <p>Bits are bit-sliced: vector v occupies words {@code [v * slices, (v + 1) * slices)}. The mask
 * products are stored slice by slice ({@code [slices][products]}), so that a slice's products are
 * read and written in one run of memory.
 */
final class DigitPrefix {
    /** Most digits in one block. */
    static final int MAX_BLOCK = 8;

    private final int[] start;
    private final boolean withEq;
    private final int[] vectorBase;
    private final int[] productBase;
    private final int vectors;
    private final int products;

    /** The blocks of {@code digits} digits, as equal as they can be. */
    DigitPrefix(int digits) {
        int blocks = (digits + MAX_BLOCK - 1) / MAX_BLOCK;
        start = new int[blocks + 1];
        for (int b = 0; b <= blocks; b++) {
            start[b] = (int) ((long) digits * b / blocks);
        }
        withEq = blocks > 1;
        vectorBase = new int[blocks + 1];
        productBase = new int[blocks + 1];
        for (int b = 0; b < blocks; b++) {
            int k = size(b);
            vectorBase[b + 1] = vectorBase[b] + (k - 1) + eqFactors(k);
            productBase[b + 1] = productBase[b] + eqProducts(eqFactors(k)) + (1 << k) - k - 1;
        }
        vectors = vectorBase[blocks];
        products = productBase[blocks];
    }

    int blocks() {
        return start.length - 1;
    }

    /** Opened bit vectors per element (bits per element per party). */
    int vectors() {
        return vectors;
    }

    /** Dealer words of mask products per 64 elements. */
    int products() {
        return products;
    }

    private int size(int b) {
        return start[b + 1] - start[b];
    }

    private int eqFactors(int k) {
        return withEq ? k : k - 1;
    }

    /** Products of two or more of e masks. */
    private static int eqProducts(int e) {
        return (1 << e) - e - 1;
    }

    /** Position of b_S among a block's products: subsets of two or more, in increasing order. */
    private static int[] eqIndex(int e) {
        int[] index = new int[1 << e];
        int next = 0;
        for (int s = 0; s < index.length; s++) {
            index[s] = Integer.bitCount(s) >= 2 ? next++ : -1;
        }
        return index;
    }

    /** This party's masked bits L_i XOR a_i and E_j XOR b_j, in the opened vectors' layout. */
    long[] masked(long[] lt, long[] eq, long[] masks, int slices) {
        long[] out = new long[vectors * slices];
        for (int b = 0; b < blocks(); b++) {
            int k = size(b);
            for (int i = 1; i < k; i++) {
                xorInto(lt, (start[b] + i) * slices, masks, (vectorBase[b] + i - 1) * slices, out, slices);
            }
            for (int j = 0; j < eqFactors(k); j++) {
                xorInto(eq, (start[b] + j) * slices, masks, (vectorBase[b] + k - 1 + j) * slices, out, slices);
            }
        }
        return out;
    }

    private static void xorInto(long[] x, int xOff, long[] m, int off, long[] out, int len) {
        for (int w = 0; w < len; w++) {
            out[off + w] = x[xOff + w] ^ m[off + w];
        }
    }

    /** The dealer's mask products {@code [slices][products]} from the masks' values. */
    long[] dealerProducts(long[] masks, int slices) {
        long[] out = new long[products * slices];
        for (int b = 0; b < blocks(); b++) {
            int k = size(b);
            int e = eqFactors(k);
            int[] index = eqIndex(e);
            int aBase = productBase[b] + eqProducts(e);
            long[] prod = new long[1 << e];
            for (int w = 0; w < slices; w++) {
                prod[0] = -1L;
                for (int s = 1; s < prod.length; s++) {
                    int top = 31 - Integer.numberOfLeadingZeros(s);
                    prod[s] = prod[s ^ (1 << top)] & masks[(vectorBase[b] + k - 1 + top) * slices + w];
                    if (index[s] >= 0) {
                        out[w * products + productBase[b] + index[s]] = prod[s];
                    }
                }
                for (int i = 1, a = aBase; i < k; i++) {
                    long ai = masks[(vectorBase[b] + i - 1) * slices + w];
                    for (int s = 1; s < 1 << i; s++, a++) {
                        out[w * products + a] = ai & prod[s];
                    }
                }
            }
        }
        return out;
    }

    /**
     * This party's XOR shares of each block's L (and E), bit-sliced {@code [blocks][slices]}, from the
     * opened vectors and its shares of lt, eq, the masks and their products.
     */
    void combine(long[] opened, long[] lt, long[] eq, long[] masks, long[] prods, boolean p0, int slices,
                 long[] blockLt, long[] blockEq) {
        long one = p0 ? -1L : 0;
        for (int b = 0; b < blocks(); b++) {
            int k = size(b);
            int e = eqFactors(k);
            int[] index = eqIndex(e);
            int aBase = productBase[b] + eqProducts(e);
            int xL = vectorBase[b] - 1;        // opened L_i at vector xL + i
            int xE = vectorBase[b] + k - 1;    // opened E_j at vector xE + j
            long[] coef = new long[1 << Math.max(e, k - 1)];
            for (int w = 0; w < slices; w++) {
                long l = lt[start[b] * slices + w];
                coef[0] = -1L;
                for (int i = 1, a = aBase; i < k; i++) {
                    extend(coef, i - 1, opened[(xE + i - 1) * slices + w]);
                    // P_i = prod_(j < i) E_j and a_i P_i from the coefficients of its monomials.
                    long p = coef[0] & one;
                    long ap = coef[0] & masks[(xL + i) * slices + w];
                    for (int s = 1; s < 1 << i; s++, a++) {
                        p ^= coef[s] & eqMasks(s, masks, xE, prods, w * products + productBase[b], index, slices, w);
                        ap ^= coef[s] & prods[w * products + a];
                    }
                    l ^= (opened[(xL + i) * slices + w] & p) ^ ap;
                }
                blockLt[b * slices + w] = l;
                if (withEq) {
                    extend(coef, k - 1, opened[(xE + k - 1) * slices + w]);
                    long q = coef[0] & one;
                    for (int s = 1; s < 1 << k; s++) {
                        q ^= coef[s] & eqMasks(s, masks, xE, prods, w * products + productBase[b], index, slices, w);
                    }
                    blockEq[b * slices + w] = q;
                }
            }
        }
    }

    /** This party's share of the product of the E masks in subset s: the mask itself for one, else the dealer's product. */
    private static long eqMasks(int s, long[] masks, int xE, long[] prods, int blockProducts, int[] index, int slices, int w) {
        return Integer.bitCount(s) == 1 ? masks[(xE + Integer.numberOfTrailingZeros(s)) * slices + w]
                : prods[blockProducts + index[s]];
    }

    /**
     * Coefficients over the factors 0..j-1 extended by factor j with opened word x: a subset
     * without j multiplies x in, a subset with j keeps the mask instead.
     */
    private static void extend(long[] coef, int j, long x) {
        int half = 1 << j;
        for (int s = 0; s < half; s++) {
            coef[s | half] = coef[s];
            coef[s] &= x;
        }
    }
}
