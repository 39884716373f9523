package dev.secformer.protocols;

/** {@link DigitLookup} one element at a time. */
final class ScalarDigitLookup implements DigitLookup {
    @Override
    public void lookup(long[] c, long[] tables, int bits, long[] lt, long[] eq) {
        int n = c.length;
        int d = DigitComparison.digits(bits);
        int slices = (n + 63) >>> 6;
        for (int i = 0; i < d; i++) {
            for (int w = 0; w < slices; w++) {
                lookupRange(c, tables, bits, i, w << 6, Math.min(n, (w + 1) << 6), lt, eq);
            }
        }
    }

    /** Digit i of elements [from, to), all within one 64-element word, ORed into its words. */
    static void lookupRange(long[] c, long[] tables, int bits, int i, int from, int to, long[] lt, long[] eq) {
        int n = c.length;
        int d = DigitComparison.digits(bits);
        int slices = (n + 63) >>> 6;
        long lowMask = (1L << (bits - 1)) - 1;
        int shift = (d - 1 - i) * DigitComparison.DIGIT;
        int offset = DigitComparison.TABLE * (i % DigitComparison.TABLES_PER_WORD);
        int base = (i / DigitComparison.TABLES_PER_WORD) * n;
        long l = 0;
        long q = 0;
        for (int e = from; e < to; e++) {
            int ci = (int) (((c[e] & lowMask) >>> shift) & 0xF);
            long t = tables[base + e] >>> (offset + ci); // bit 0: T[c_i], bit 1: T[c_i + 1]
            l |= ((t >>> 1) & 1) << e;
            q |= ((t ^ (t >>> 1)) & 1) << e;
        }
        lt[i * slices + (from >>> 6)] |= l;
        eq[i * slices + (from >>> 6)] |= q;
    }
}
