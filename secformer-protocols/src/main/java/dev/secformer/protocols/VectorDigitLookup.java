package dev.secformer.protocols;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DigitLookup} a vector of elements at a time (8 on AVX-512): each lane shifts its table
 * word by its own digit (a variable shift), and the lanes' bits are placed at their element's
 * position and ORed into the slice word. Partial vectors go to the scalar version.
 */
final class VectorDigitLookup implements DigitLookup {
    private static final VectorSpecies<Long> S = LongVector.SPECIES_PREFERRED;
    private static final LongVector IOTA = LongVector.zero(S).addIndex(1);

    @Override
    public void lookup(long[] c, long[] tables, int bits, long[] lt, long[] eq) {
        int n = c.length;
        int d = DigitComparison.digits(bits);
        int slices = (n + 63) >>> 6;
        int lanes = S.length();
        long lowMask = (1L << (bits - 1)) - 1;
        for (int i = 0; i < d; i++) {
            int shift = (d - 1 - i) * DigitComparison.DIGIT;
            int offset = DigitComparison.TABLE * (i % DigitComparison.TABLES_PER_WORD);
            int base = (i / DigitComparison.TABLES_PER_WORD) * n;
            for (int w = 0; w < slices; w++) {
                int from = w << 6;
                int to = Math.min(n, from + 64);
                long l = 0;
                long q = 0;
                int e = from;
                for (; e + lanes <= to; e += lanes) {
                    LongVector ci = LongVector.fromArray(S, c, e).and(lowMask).lanewise(VectorOperators.LSHR, shift)
                            .and(0xF).add(offset);
                    LongVector t = LongVector.fromArray(S, tables, base + e).lanewise(VectorOperators.LSHR, ci);
                    LongVector at = IOTA.add(e - from);
                    l |= t.lanewise(VectorOperators.LSHR, 1).and(1).lanewise(VectorOperators.LSHL, at)
                            .reduceLanes(VectorOperators.OR);
                    q |= t.lanewise(VectorOperators.XOR, t.lanewise(VectorOperators.LSHR, 1)).and(1)
                            .lanewise(VectorOperators.LSHL, at).reduceLanes(VectorOperators.OR);
                }
                lt[i * slices + w] |= l;
                eq[i * slices + w] |= q;
                if (e < to) {
                    ScalarDigitLookup.lookupRange(c, tables, bits, i, e, to, lt, eq);
                }
            }
        }
    }
}
