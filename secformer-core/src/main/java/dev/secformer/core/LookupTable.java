package dev.secformer.core;

/**
 * A secret table W ({@code V x H}, e.g. a vocabulary's embedding rows) prepared for
 * {@link ObliviousLookup}. Its rows are padded with zeros to {@code S1 S2 = 2^bits} (bits = the
 * width of V - 1, at least 1), so that a row index splits into a high digit in [0, S1) and a low digit in
 * [0, S2) and the table reads as an {@code S1 x S2 x H} array. As for a {@link FixedWeight}, its
 * mask B is a persistent dealer part and T = W - B is opened once, when the model is loaded.
 *
 * <p>Memory per party: the packed share of W (for the online product) and T row-major (for the
 * offline terms), 16 S1 S2 H bytes.
 */
public final class LookupTable {
    private final int rows;
    private final int cols;
    private final int highBits;
    private final int lowBits;
    private final PackedMatrix share;
    private final long[] opened;
    private final long key;

    private LookupTable(int rows, int cols, int highBits, int lowBits, PackedMatrix share, long[] opened, long key) {
        this.rows = rows;
        this.cols = cols;
        this.highBits = highBits;
        this.lowBits = lowBits;
        this.share = share;
        this.opened = opened;
        this.key = key;
    }

    /**
     * Prepares a table in one round: draws its persistent mask (key {@code key}, unique within a
     * session) and opens the padded W - B. Costs 8 S1 S2 H bytes per party.
     */
    public static LookupTable prepare(Party p, SharedTensor table, long key) {
        int[] s = table.shape();
        if (s.length != 2 || s[0] < 1) {
            throw new IllegalArgumentException("a lookup table must be a matrix of at least one row, got shape "
                    + java.util.Arrays.toString(s));
        }
        int rows = s[0];
        int cols = s[1];
        int bits = indexBits(rows);
        int padded = 1 << bits;
        long[] w = java.util.Arrays.copyOf(table.share().data(), Math.multiplyExact(padded, cols));
        long[] b = p.dealer().draw(Correlations.weightMask(padded * cols, key))[0];
        SharedTensor masked = new SharedTensor(p.id(), RingTensor.of(w, padded, cols))
                .sub(new SharedTensor(p.id(), RingTensor.of(b, padded, cols)));
        long[] t = Open.open(p, masked)[0].data();
        int low = lowBits(rows);
        return new LookupTable(rows, cols, bits - low, low, PackedMatrix.of(RingTensor.of(w, padded, cols)), t, key);
    }

    /** Bits of a row index: the width of {@code rows - 1}, at least 1. */
    static int indexBits(int rows) {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(rows - 1));
    }

    /** Bits of the low digit of an index into {@code rows} rows: the larger half of {@link #indexBits}. */
    static int lowBits(int rows) {
        int bits = indexBits(rows);
        return bits - bits / 2;
    }

    /** Rows V (before padding). */
    public int rows() {
        return rows;
    }

    /** Columns H. */
    public int cols() {
        return cols;
    }

    /** Bits of the high digit: S1 = 2^highBits. */
    public int highBits() {
        return highBits;
    }

    /** Bits of the low digit: S2 = 2^lowBits (at least {@link #highBits()}). */
    public int lowBits() {
        return lowBits;
    }

    long key() {
        return key;
    }

    /** This party's share of the padded W, packed for products. */
    PackedMatrix share() {
        return share;
    }

    /** The public padded T = W - B, row-major {@code [S1 S2, H]}. */
    long[] opened() {
        return opened;
    }
}
