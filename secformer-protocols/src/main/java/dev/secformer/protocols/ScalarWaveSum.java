package dev.secformer.protocols;

/** {@link WaveSum} one element at a time. */
final class ScalarWaveSum implements WaveSum {
    @Override
    public long[] sum(long[] delta, long[][] shares, double[] cs, boolean sine, int[] frequencies, SecureSine.Angles angles) {
        long[] out = new long[delta.length];
        sumRange(delta, shares, cs, sine, frequencies, angles, 0, delta.length, out);
        return out;
    }

    /** Elements [from, to) into {@code out}. */
    static void sumRange(long[] delta, long[][] shares, double[] cs, boolean sine, int[] frequencies,
                         SecureSine.Angles angles, int from, int to, long[] out) {
        double[] sin = new double[frequencies.length];
        double[] cos = new double[frequencies.length];
        for (int i = from; i < to; i++) {
            angles.multiples(delta[i], frequencies, sin, cos);
            long acc = 0;
            for (int j = 0; j < frequencies.length; j++) {
                if (cs[j] == 0) {
                    continue;
                }
                long sa = SecureSine.nearest(cs[j] * sin[j]);
                long ca = SecureSine.nearest(cs[j] * cos[j]);
                long sinT = shares[2 * j][i];
                long cosT = shares[2 * j + 1][i];
                acc += sine ? sa * cosT + ca * sinT : ca * cosT - sa * sinT;
            }
            out[i] = acc;
        }
    }
}
