package dev.secformer.protocols;

import dev.secformer.core.Open;
import dev.secformer.core.Party;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;

/**
 * The check mode of the protocols: when enabled, a protocol opens its input before running and
 * fails with an {@link IllegalArgumentException} naming the offending element if it lies outside
 * the range the protocol is documented for, instead of returning a silently wrong result.
 *
 * <p>It reveals the checked values to both parties, so it is for testing and debugging only; it
 * is off by default. Enable it with {@link #setEnabled(boolean)} or the system property
 * {@code secformer.rangeCheck=true}. Its openings are counted under the phase "range-check".
 */
public final class RangeCheck {
    private static volatile boolean enabled = Boolean.getBoolean("secformer.rangeCheck");

    private RangeCheck() {
    }

    public static boolean enabled() {
        return enabled;
    }

    public static void setEnabled(boolean on) {
        enabled = on;
    }

    /** In check mode, fails unless every element of the fixed-point secret {@code x} is in [lo, hi]. */
    public static void require(Party p, SharedTensor x, double lo, double hi, String protocol) {
        require(p, x, p.fixedPoint().fractionBits(), lo, hi, protocol);
    }

    /** The same for x read with {@code fractionBits} fractional bits. */
    public static void require(Party p, SharedTensor x, int fractionBits, double lo, double hi, String protocol) {
        if (!enabled) {
            return;
        }
        RingTensor v;
        try (var ph = p.phase("range-check")) {
            v = Open.open(p, x)[0];
        }
        long[] d = v.data();
        for (int i = 0; i < d.length; i++) {
            double value = Math.scalb((double) d[i], -fractionBits);
            if (!(value >= lo && value <= hi)) {
                throw new IllegalArgumentException(protocol + ": input element " + i + " = " + value
                        + " is outside the supported range [" + lo + ", " + hi + "]");
            }
        }
    }
}
