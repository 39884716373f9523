package dev.secformer.core;

/**
 * Fixed-point codec between reals and Z_2^64: {@code x -> round(x * 2^f)}, two's complement for
 * negatives. With {@code f} fractional bits the resolution is 2^-f; a product of two encodings
 * carries 2f fractional bits and is rescaled by truncation, exact (with the dealer's help, one
 * round) or local (no communication, wrong with probability |x| / 2^64 per element): see
 * {@link Truncation}.
 *
 * <p>Encoding refuses values whose magnitude reaches {@link #maxMagnitude()} = 2^(62-f): beyond
 * that a single sum of two values could wrap around the ring.
 */
public final class FixedPoint {
    /** The default number of fractional bits. */
    public static final int DEFAULT_FRACTION_BITS = 16;
    private static final FixedPoint DEFAULT = new FixedPoint(DEFAULT_FRACTION_BITS, true);

    private final int fractionBits;
    private final boolean exactTruncation;
    private final double scale;
    private final double maxMagnitude;

    public FixedPoint(int fractionBits) {
        this(fractionBits, true);
    }

    /** A codec whose products are rescaled by the exact truncation, or by the local one if {@code exactTruncation} is false. */
    public FixedPoint(int fractionBits, boolean exactTruncation) {
        if (fractionBits < 0 || fractionBits > 40) {
            throw new IllegalArgumentException("fraction bits must be in [0, 40], got " + fractionBits);
        }
        this.fractionBits = fractionBits;
        this.exactTruncation = exactTruncation;
        this.scale = Math.scalb(1.0, fractionBits);
        this.maxMagnitude = Math.scalb(1.0, 62 - fractionBits);
    }

    /** The codec with {@value #DEFAULT_FRACTION_BITS} fractional bits. */
    public static FixedPoint standard() {
        return DEFAULT;
    }

    public int fractionBits() {
        return fractionBits;
    }

    /** Whether {@link Truncation} rescales exactly (one round) rather than locally. */
    public boolean exactTruncation() {
        return exactTruncation;
    }

    /** This codec with the other truncation. */
    public FixedPoint withExactTruncation(boolean exact) {
        return new FixedPoint(fractionBits, exact);
    }

    /** 2^f as a ring element: the encoding of 1. */
    public long one() {
        return 1L << fractionBits;
    }

    /** Largest magnitude (exclusive) that {@link #encode(double)} accepts. */
    public double maxMagnitude() {
        return maxMagnitude;
    }

    public long encode(double x) {
        if (!(Math.abs(x) < maxMagnitude)) { // also catches NaN
            throw new IllegalArgumentException("value " + x + " does not fit the fixed-point range (|x| < 2^"
                    + (62 - fractionBits) + " with " + fractionBits + " fractional bits)");
        }
        return Math.round(x * scale);
    }

    public double decode(long v) {
        return v / scale;
    }

    /** Encodes {@code values} as a tensor of the given shape. */
    public RingTensor encode(double[] values, int... shape) {
        long[] r = new long[values.length];
        for (int i = 0; i < r.length; i++) {
            try {
                r[i] = encode(values[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("element " + i + ": " + e.getMessage(), e);
            }
        }
        return RingTensor.of(r, shape);
    }

    public double[] decode(RingTensor t) {
        long[] d = t.data();
        double[] r = new double[d.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = decode(d[i]);
        }
        return r;
    }
}
