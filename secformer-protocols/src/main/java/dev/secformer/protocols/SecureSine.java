package dev.secformer.protocols;

import dev.secformer.core.BasicCorrelation;
import dev.secformer.core.Correlation;
import dev.secformer.core.Correlation.DerivedPart;
import dev.secformer.core.Correlation.RandomPart;
import dev.secformer.core.Open;
import dev.secformer.core.Party;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Truncation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Secure sine and cosine of fixed-point shares for a power-of-two period P, several frequencies
 * from one opening (SecFormer's secure sine, with the period chosen so that masking is perfect).
 *
 * <pre>
 *   dealer: t uniform in Z_M, M = P 2^f (a uniform ring element reduced mod M), and fixed-point
 *           shares of sin(2 pi k t / (P 2^f)) and cos(2 pi k t / (P 2^f)) for each frequency k
 *   open    delta = x - t mod M                    1 round, log2(M) bits per element per party
 *   local   sin(2 pi k x / P) = sin(a) [cos(2 pi k t')] + cos(a) [sin(2 pi k t')],  a = 2 pi k delta / (P 2^f)
 * </pre>
 *
 * <p>Why it is correct and hiding: M divides 2^64, so reducing each share mod M keeps the sum
 * equal to x mod M, and x mod M determines sin(2 pi k x / P) because P is the period. delta is
 * uniform in Z_M whatever x is, because t is. The public angle is reduced mod P, not mod 2 pi
 * (for k = j pi / m the period is 2m / j, not 2 pi: the bug of the reference code).
 *
 * <p>Cost per element: 1 round; 2 log2(M) online bits (both parties; 40 bits = 5 bytes at P = 16,
 * f = 16); dealer: 2 K fixed-point values (16 K bytes) for K frequencies. The results carry 2f
 * fractional bits: {@link #apply} truncates the 2K of them in one more round (16 online and 16
 * dealer bytes each, with the exact truncation), a series sum_j beta_j sin(2 pi k_j x / P)
 * ({@link #series}) needs one truncation, and a caller that multiplies the series next truncates it
 * on the way into the product ({@link PendingSeries#finish}).
 *
 * <p>Accuracy of {@link #apply}: each sine and cosine is within (1 + sqrt 2) 2^-f of the exact
 * value. The public factors sin(k a), cos(k a) and the dealer's values are each rounded to half an
 * ulp, which moves the sum of the two products by at most sqrt 2 ulps (plus 2^-17 ulps for the
 * products of the roundings), and the truncation adds less than one (the local one fails, as any
 * truncation of a value near 2^(2f), with probability about 2^-32 per element). Measured: at most
 * 2.28 2^-16 in 300 runs of 480 000 outputs each (P = 1, 16, 2^12 and 2^20, random ring elements),
 * 2.23 2^-16 in the first ten.
 */
public final class SecureSine {
    static final String KIND = "sine";

    private final int periodLog2;
    private final int[] frequencies;

    /**
     * @param periodLog2  log2 of the period P in real units (P = 16: 4)
     * @param frequencies the integer multiples k of the base frequency 2 pi / P
     */
    public SecureSine(int periodLog2, int... frequencies) {
        if (periodLog2 < 0 || periodLog2 > 20) {
            throw new IllegalArgumentException("period must be 2^p with p in [0, 20], got p = " + periodLog2);
        }
        if (frequencies.length == 0) {
            throw new IllegalArgumentException("at least one frequency");
        }
        this.periodLog2 = periodLog2;
        this.frequencies = frequencies.clone();
    }

    /** Shares of sin and cos at every frequency, in the order of the constructor's frequencies. */
    public record Waves(SharedTensor[] sin, SharedTensor[] cos) {
    }

    /** The dealer's masks t and their sines and cosines, of bits s .. s + p + f - 1 of t for a read shift s. */
    static Correlation correlation(int n, int periodLog2, int fractionBits, int readShift, int[] frequencies) {
        if (readShift < 0 || readShift + periodLog2 + fractionBits > 64) {
            throw new IllegalArgumentException("read shift " + readShift + " out of range");
        }
        long[] params = new long[4 + frequencies.length];
        params[0] = n;
        params[1] = periodLog2;
        params[2] = fractionBits;
        params[3] = readShift;
        for (int j = 0; j < frequencies.length; j++) {
            params[4 + j] = frequencies[j];
        }
        List<DerivedPart> derived = new ArrayList<>();
        for (int j = 0; j < 2 * frequencies.length; j++) {
            derived.add(DerivedPart.additive(n));
        }
        long mask = (1L << (periodLog2 + fractionBits)) - 1;
        double one = Math.scalb(1.0, fractionBits);
        Angles angles = Angles.of(periodLog2 + fractionBits);
        return new BasicCorrelation(KIND, params, List.of(RandomPart.fresh(n)), derived, rv -> {
            long[][] out = new long[2 * frequencies.length][n];
            double[] sin = new double[frequencies.length];
            double[] cos = new double[frequencies.length];
            for (int i = 0; i < n; i++) {
                angles.multiples((rv[0][i] >>> readShift) & mask, frequencies, sin, cos);
                for (int j = 0; j < frequencies.length; j++) {
                    out[2 * j][i] = nearest(sin[j] * one);
                    out[2 * j + 1][i] = nearest(cos[j] * one);
                }
            }
            return out;
        });
    }

    /** The masked opening and this party's shares of the mask's sines and cosines. */
    private record Opened(long[] delta, long[][] shares, int bits, int[] shape) {
    }

    private Opened open(Party p, SharedTensor x) {
        PendingSeries q = startSeries(p, x, new double[frequencies.length]);
        return q.opened(Open.openModulo(p, q.bits(), q.masked())[0]);
    }

    /**
     * A sine series after its dealer draw, waiting for its opening (delta, {@link PendingSeries#bits()}
     * bits), so that a caller can open it in the same round as another protocol's.
     */
    public final class PendingSeries {
        private final SharedTensor masked;
        private final long[][] shares;
        private final double[] coefficients;
        private final int bits;

        private PendingSeries(SharedTensor masked, long[][] shares, double[] coefficients, int bits) {
            this.masked = masked;
            this.shares = shares;
            this.coefficients = coefficients;
            this.bits = bits;
        }

        /** The value to open in Z_(P 2^f): x - t. */
        public SharedTensor masked() {
            return masked;
        }

        public int bits() {
            return bits;
        }

        private Opened opened(RingTensor delta) {
            return new Opened(delta.data(), shares, bits, masked.shape());
        }

        /** The series from the opened delta (local), at 2f fractional bits: the caller truncates it. */
        public SharedTensor finish(Party p, RingTensor delta) {
            return combine(p, opened(delta), coefficients, true);
        }
    }

    /** Draws the dealer material and masks x for {@code sum_j coefficients[j] sin(2 pi k_j x / P)}. */
    public PendingSeries startSeries(Party p, SharedTensor x, double[] coefficients) {
        return startSeriesUntruncated(p, x, 0, coefficients);
    }

    /**
     * The same for x at f + {@code readShift} fractional bits, not truncated: each party sends bits
     * s .. s + p + f - 1 of its share of x - t (s = readShift) and the dealer's sines are those of
     * the same bits of t, so the opened delta is x / 2^s - t' less the borrow and the carry of the
     * low bits: the angle is off by at most 2 units of 2^-f (a phase of 4 pi k 2^-f / P), and the
     * truncation that would precede the series costs nothing. The sent values are uniform.
     */
    public PendingSeries startSeriesUntruncated(Party p, SharedTensor x, int readShift, double[] coefficients) {
        if (coefficients.length != frequencies.length) {
            throw new IllegalArgumentException(coefficients.length + " coefficients for " + frequencies.length + " frequencies");
        }
        int f = p.fixedPoint().fractionBits();
        long[][] s = p.dealer().draw(correlation(x.size(), periodLog2, f, readShift, frequencies));
        long[] share = x.share().data();
        long[] masked = new long[share.length];
        for (int i = 0; i < masked.length; i++) {
            masked[i] = (share[i] - s[0][i]) >>> readShift;
        }
        return new PendingSeries(new SharedTensor(p.id(), RingTensor.of(masked, x.shape())), Arrays.copyOfRange(s, 1, s.length),
                coefficients.clone(), periodLog2 + f);
    }

    /** sin and cos of 2 pi k x / P for every frequency k (one round, then one for all truncations if exact). */
    public Waves apply(Party p, SharedTensor x) {
        int f = p.fixedPoint().fractionBits();
        Opened o = open(p, x);
        int k = frequencies.length;
        SharedTensor[] raw = new SharedTensor[2 * k];
        for (int j = 0; j < k; j++) {
            double[] one = new double[k];
            one[j] = 1;
            raw[j] = combine(p, o, one, true);
            raw[k + j] = combine(p, o, one, false);
        }
        SharedTensor[] t = Truncation.truncateAll(p, f, raw);
        return new Waves(Arrays.copyOfRange(t, 0, k), Arrays.copyOfRange(t, k, 2 * k));
    }

    /** {@code sum_j coefficients[j] sin(2 pi k_j x / P)} (one round, then one for the truncation if exact). */
    public SharedTensor series(Party p, SharedTensor x, double[] coefficients) {
        PendingSeries q = startSeries(p, x, coefficients);
        return Truncation.truncate(p, q.finish(p, Open.openModulo(p, q.bits(), q.masked())[0]), p.fixedPoint().fractionBits());
    }

    /**
     * sum_j c_j sin(k_j (delta + t)) (or cos) with 2f fractional bits: public factors of f bits
     * times shares of f bits. sin(a + b) = sin a cos b + cos a sin b; cos(a + b) = cos a cos b - sin a sin b.
     */
    private SharedTensor combine(Party p, Opened o, double[] c, boolean sine) {
        double one = Math.scalb(1.0, p.fixedPoint().fractionBits());
        double[] cs = new double[frequencies.length];
        for (int j = 0; j < cs.length; j++) {
            cs[j] = c[j] * one;
        }
        long[] out = WaveSum.DEFAULT.sum(o.delta, o.shares, cs, sine, frequencies, Angles.of(o.bits));
        return new SharedTensor(p.id(), RingTensor.of(out, o.shape));
    }

    static final double ROUNDER = 0x1.8p52;

    /**
     * The integer nearest to v (ties to even), for |v| &lt; 2^51: adding 1.5 2^52 leaves v's integer
     * part in the low bits of the mantissa. A few instructions where Math.round takes a branchy
     * slow path; both parties round the same public values, so they agree.
     */
    static long nearest(double v) {
        return Double.doubleToRawLongBits(v + ROUNDER) - Double.doubleToRawLongBits(ROUNDER);
    }

    /**
     * sin and cos of the angle 2 pi d / 2^bits of an opened d, from two tables of 2^(bits/2) entries
     * (sin(a + b) = sin a cos b + cos a sin b with a from d's high half, b from its low half): a few
     * multiply-adds instead of two trigonometric calls per element, as accurate (about 1e-16).
     * Both parties compute the same public values, so their rounding agrees.
     */
    static final class Angles {
        private static final java.util.Map<Integer, Angles> CACHE = new java.util.concurrent.ConcurrentHashMap<>();
        /** Tables are used up to this many bits (2 x 2^12 entries); wider openings call sin and cos. */
        private static final int MAX_TABLE_BITS = 24;

        private final int lowBits;
        private final long lowMask;
        private final double step;
        private final double[] sinHi;
        private final double[] cosHi;
        private final double[] sinLo;
        private final double[] cosLo;

        private Angles(int bits) {
            this.step = 2 * Math.PI / Math.scalb(1.0, bits);
            this.lowBits = bits <= MAX_TABLE_BITS ? bits / 2 : 0;
            this.lowMask = (1L << lowBits) - 1;
            int hi = bits <= MAX_TABLE_BITS ? 1 << (bits - lowBits) : 0;
            int lo = bits <= MAX_TABLE_BITS ? 1 << lowBits : 0;
            sinHi = new double[hi];
            cosHi = new double[hi];
            sinLo = new double[lo];
            cosLo = new double[lo];
            for (int i = 0; i < hi; i++) {
                sinHi[i] = Math.sin((double) ((long) i << lowBits) * step);
                cosHi[i] = Math.cos((double) ((long) i << lowBits) * step);
            }
            for (int i = 0; i < lo; i++) {
                sinLo[i] = Math.sin(i * step);
                cosLo[i] = Math.cos(i * step);
            }
        }

        static Angles of(int bits) {
            return CACHE.computeIfAbsent(bits, Angles::new);
        }

        /** sin(k a) and cos(k a) for a = 2 pi d / 2^bits and each frequency k. */
        void multiples(long d, int[] frequencies, double[] sin, double[] cos) {
            unit(d, sin, cos, 0);
            SecureSine.multiples(sin[0], cos[0], frequencies, sin, cos);
        }

        /** sin a and cos a for a = 2 pi d / 2^bits, into {@code sin[at]} and {@code cos[at]}. */
        void unit(long d, double[] sin, double[] cos, int at) {
            if (sinHi.length == 0) {
                sin[at] = Math.sin(d * step);
                cos[at] = Math.cos(d * step);
                return;
            }
            int h = (int) (d >>> lowBits);
            int l = (int) (d & lowMask);
            sin[at] = sinHi[h] * cosLo[l] + cosHi[h] * sinLo[l];
            cos[at] = cosHi[h] * cosLo[l] - sinHi[h] * sinLo[l];
        }
    }

    /**
     * sin(k a) and cos(k a) for each frequency k from s1 = sin a and c1 = cos a: the angle-addition
     * recurrence up to the largest k (accurate to about 1e-15 k, far below the 2^-16 of fixed point).
     */
    static void multiples(double s1, double c1, int[] frequencies, double[] sin, double[] cos) {
        if (consecutive(frequencies)) { // 1, 2, ..., K: the recurrence gives them in order
            double sk = s1;
            double ck = c1;
            for (int j = 0; j < frequencies.length; j++) {
                sin[j] = sk;
                cos[j] = ck;
                double next = sk * c1 + ck * s1;
                ck = ck * c1 - sk * s1;
                sk = next;
            }
            return;
        }
        int max = 0;
        for (int k : frequencies) {
            max = Math.max(max, Math.abs(k));
        }
        double sk = 0;
        double ck = 1;
        for (int k = 0; k <= max; k++) {
            for (int j = 0; j < frequencies.length; j++) {
                if (Math.abs(frequencies[j]) == k) {
                    sin[j] = frequencies[j] < 0 ? -sk : sk;
                    cos[j] = ck;
                }
            }
            double next = sk * c1 + ck * s1;
            ck = ck * c1 - sk * s1;
            sk = next;
        }
    }

    static boolean consecutive(int[] frequencies) {
        for (int j = 0; j < frequencies.length; j++) {
            if (frequencies[j] != j + 1) {
                return false;
            }
        }
        return true;
    }
}
