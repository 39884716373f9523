package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.SharedTensor;

/**
 * Shares of reciprocals held with a public scale per element: the ring integer {@code value[i]}
 * stands for {@code 2^scaleBits[i] / y[i]}. At f = 16 a plain fixed-point 1/y keeps few significant
 * bits once y is large (1/3000 is 22 units of 2^-16); the scaled form keeps about 12-20 bits, and
 * {@link GoldschmidtDivision#multiply} applies the scale after the product.
 *
 * @param value     shares of the scaled reciprocals, shape of the divisors
 * @param scaleBits public scale exponent per element
 */
public record ScaledReciprocal(SharedTensor value, int[] scaleBits) {
    public ScaledReciprocal {
        if (scaleBits.length != value.size()) {
            throw new IllegalArgumentException(scaleBits.length + " scales for " + value.size() + " values");
        }
        scaleBits = scaleBits.clone();
    }

    @Override
    public int[] scaleBits() {
        return scaleBits.clone();
    }

    /** Plain fixed-point shares of 1/y with {@code fractionBits} fractional bits (a {@link Rescaling}). */
    public SharedTensor toFixedPoint(Party p, int fractionBits) {
        int[] shift = new int[scaleBits.length];
        for (int i = 0; i < shift.length; i++) {
            shift[i] = scaleBits[i] - fractionBits;
        }
        return Rescaling.truncate(p, value, shift);
    }
}
