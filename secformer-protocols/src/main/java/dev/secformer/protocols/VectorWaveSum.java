package dev.secformer.protocols;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link WaveSum} a vector of elements at a time (8 on AVX-512) for consecutive frequencies
 * 1..K: the recurrence sin((k+1) a), cos((k+1) a) from sin(k a), cos(k a), the rounding (by the
 * same addition of 1.5 2^52 as {@link SecureSine#nearest}) and the ring products, in the scalar
 * version's order of operations, so that both give the same bits. Other frequency sets and the
 * last partial vector go to the scalar version.
 */
final class VectorWaveSum implements WaveSum {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    @SuppressWarnings("unchecked")
    private static final VectorSpecies<Long> L = (VectorSpecies<Long>) VectorSpecies.of(long.class, D.vectorShape());
    private static final long ROUNDER_BITS = Double.doubleToRawLongBits(SecureSine.ROUNDER);

    @Override
    public long[] sum(long[] delta, long[][] shares, double[] cs, boolean sine, int[] frequencies, SecureSine.Angles angles) {
        if (!SecureSine.consecutive(frequencies)) {
            return SCALAR.sum(delta, shares, cs, sine, frequencies, angles);
        }
        int n = delta.length;
        int lanes = D.length();
        long[] out = new long[n];
        double[] s1 = new double[lanes];
        double[] c1 = new double[lanes];
        int i = 0;
        for (; i + lanes <= n; i += lanes) {
            for (int l = 0; l < lanes; l++) {
                angles.unit(delta[i + l], s1, c1, l);
            }
            DoubleVector vs1 = DoubleVector.fromArray(D, s1, 0);
            DoubleVector vc1 = DoubleVector.fromArray(D, c1, 0);
            DoubleVector sk = vs1;
            DoubleVector ck = vc1;
            LongVector acc = LongVector.zero(L);
            for (int j = 0; j < cs.length; j++) {
                if (cs[j] != 0) {
                    LongVector sa = nearest(sk.mul(cs[j]));
                    LongVector ca = nearest(ck.mul(cs[j]));
                    LongVector sinT = LongVector.fromArray(L, shares[2 * j], i);
                    LongVector cosT = LongVector.fromArray(L, shares[2 * j + 1], i);
                    acc = sine ? acc.add(sa.mul(cosT)).add(ca.mul(sinT)) : acc.add(ca.mul(cosT)).sub(sa.mul(sinT));
                }
                DoubleVector next = sk.mul(vc1).add(ck.mul(vs1));
                ck = ck.mul(vc1).sub(sk.mul(vs1));
                sk = next;
            }
            acc.intoArray(out, i);
        }
        ScalarWaveSum.sumRange(delta, shares, cs, sine, frequencies, angles, i, n, out);
        return out;
    }

    private static LongVector nearest(DoubleVector v) {
        return (LongVector) v.add(SecureSine.ROUNDER).reinterpretAsLongs().sub(ROUNDER_BITS);
    }
}
