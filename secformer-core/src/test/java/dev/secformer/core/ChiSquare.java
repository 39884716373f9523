package dev.secformer.core;

/**
 * Pearson's statistic for uniformity of opened values: bits {@code shift .. shift + binBits} of
 * every {@code stride}-th value from {@code offset}, counted in 2^binBits bins. Uniform values give
 * about 2^binBits - 1 (the degrees of freedom), with a standard deviation of about
 * sqrt(2 (2^binBits - 1)).
 */
public final class ChiSquare {
    private ChiSquare() {
    }

    public static double of(long[] values, int stride, int offset, int shift, int binBits) {
        int bins = 1 << binBits;
        long[] count = new long[bins];
        int n = 0;
        for (int i = offset; i < values.length; i += stride, n++) {
            count[(int) ((values[i] >>> shift) & (bins - 1))]++;
        }
        double expected = (double) n / bins;
        double chi = 0;
        for (long c : count) {
            chi += (c - expected) * (c - expected) / expected;
        }
        return chi;
    }

    /** Of every value. */
    public static double of(long[] values, int shift, int binBits) {
        return of(values, 1, 0, shift, binBits);
    }
}
