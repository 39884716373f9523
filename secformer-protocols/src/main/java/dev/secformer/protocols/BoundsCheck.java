package dev.secformer.protocols;

import dev.secformer.core.Open;
import dev.secformer.core.Party;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;

/**
 * {@link RangeCheck}'s check mode with a range per element (a per-row divisor bound) or for values
 * with other than f fractional bits. Like RangeCheck it opens the values, so it runs only when that
 * mode is enabled (testing only).
 */
final class BoundsCheck {
    private BoundsCheck() {
    }

    /** In check mode, fails unless element i of the fixed-point secret {@code x} is in [lo[i], hi[i]]. */
    static void require(Party p, SharedTensor x, double[] lo, double[] hi, String protocol, String what) {
        require(p, x, p.fixedPoint().fractionBits(), lo, hi, false, protocol, what);
    }

    /**
     * In check mode, fails unless element i of the secret {@code x}, read with {@code fractionBits}
     * fractional bits, is in [lo[i], hi[i]] (or exactly 0 if {@code allowZero}).
     */
    static void require(Party p, SharedTensor x, int fractionBits, double[] lo, double[] hi, boolean allowZero,
                        String protocol, String what) {
        if (!RangeCheck.enabled()) {
            return;
        }
        RingTensor v;
        try (var ph = p.phase("range-check")) {
            v = Open.open(p, x)[0];
        }
        long[] d = v.data();
        for (int i = 0; i < d.length; i++) {
            double value = Math.scalb((double) d[i], -fractionBits);
            if (!(value >= lo[i] && value <= hi[i]) && !(allowZero && d[i] == 0)) {
                throw new IllegalArgumentException(protocol + ": " + what + " element " + i + " = " + value
                        + " is outside its supported range [" + lo[i] + ", " + hi[i] + "]" + (allowZero ? " (or 0)" : ""));
            }
        }
    }
}
