package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
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
    /**
     * log2 bound of the ring values truncated after {@link #divide}'s product (per element of x): any
     * value below 2^62 truncates exactly; the local truncation needs small values to fail rarely.
     */
    static final int PRODUCT_MAGNITUDE_BITS = 60;

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

    /**
     * Fixed-point shares of x / y: elementwise when x has as many elements as there are
     * reciprocals, otherwise row-wise (x's elements split into as many equal rows of consecutive
     * elements, each divided by its row's divisor). {@code quotientBound} is a public bound on
     * |x / y|: x is pre-scaled so that the truncated products stay below 2^60 (each x loses
     * max(0, ceil(log2 Q) + f + scale - 60) low bits). Two rounds (three if x must be pre-scaled): a
     * broadcast Beaver product ({@link BroadcastProduct}) and the truncation by the scale, exact even
     * in the local mode (the products exceed the 2^36 that it handles with a failure rate of 2^-28).
     */
    public SharedTensor divide(Party p, SharedTensor x, double quotientBound) {
        if (!(quotientBound > 0) || Double.isInfinite(quotientBound)) {
            throw new IllegalArgumentException("quotient bound must be positive and finite, got " + quotientBound);
        }
        int f = p.fixedPoint().fractionBits();
        int qBits = (int) Math.ceil(Math.log(quotientBound) / Math.log(2));
        int[] pre = new int[scaleBits.length];
        int[] post = new int[scaleBits.length];
        for (int i = 0; i < scaleBits.length; i++) {
            pre[i] = Math.max(0, qBits + f + scaleBits[i] - PRODUCT_MAGNITUDE_BITS);
            post[i] = scaleBits[i] - pre[i];
        }
        try (var ph = p.phase("quotient")) {
            ProductBatch batch = new ProductBatch(p);
            int idx = BroadcastProduct.rowBroadcast(batch, p, Rescaling.truncate(p, x, pre), value);
            return Rescaling.truncate(p, batch.run()[idx], post, true);
        }
    }
}
