package dev.secformer.protocols;

import dev.secformer.core.FixedPoint;
import dev.secformer.core.Open;
import dev.secformer.core.Party;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;

/**
 * {@link RangeCheck}'s check mode with a range per element (a per-row divisor bound). Like
 * RangeCheck it opens the values, so it runs only when that mode is enabled (testing only).
 */
final class BoundsCheck {
    private BoundsCheck() {
    }

    /** In check mode, fails unless element i of the fixed-point secret {@code x} is in [lo[i], hi[i]]. */
    static void require(Party p, SharedTensor x, double[] lo, double[] hi, String protocol, String what) {
        if (!RangeCheck.enabled()) {
            return;
        }
        RingTensor v;
        try (var ph = p.phase("range-check")) {
            v = Open.open(p, x)[0];
        }
        FixedPoint fp = p.fixedPoint();
        long[] d = v.data();
        for (int i = 0; i < d.length; i++) {
            double value = fp.decode(d[i]);
            if (!(value >= lo[i] && value <= hi[i])) {
                throw new IllegalArgumentException(protocol + ": " + what + " element " + i + " = " + value
                        + " is outside its supported range [" + lo[i] + ", " + hi[i] + "]");
            }
        }
    }
}
