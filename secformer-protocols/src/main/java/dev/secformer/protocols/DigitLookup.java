package dev.secformer.protocols;

import dev.secformer.core.VectorSupport;
import java.lang.invoke.MethodHandles;

/**
 * Step 3 of {@link DigitComparison}, local: for every element e and digit i of the opened c, this
 * party's shares of L_i = T_i[c_i + 1] and E_i = T_i[c_i] XOR T_i[c_i + 1], bit-sliced (bit j of
 * word {@code i * slices + w} for element 64 w + j). The tables are laid out digit-word-major: the
 * 17-bit tables of digits 3k, 3k + 1, 3k + 2 of element e share word {@code k * n + e}. Two
 * implementations with identical results: the Vector API's when the JVM has
 * {@code jdk.incubator.vector}, scalar otherwise.
 */
interface DigitLookup {
    DigitLookup SCALAR = new ScalarDigitLookup();
    DigitLookup DEFAULT = VectorSupport.choose(MethodHandles.lookup(), DigitLookup.class, "dev.secformer.protocols.VectorDigitLookup", SCALAR);

    /** Fills {@code lt} and {@code eq} ({@code digits * ceil(n / 64)} words each, zeroed). */
    void lookup(long[] c, long[] tables, int bits, long[] lt, long[] eq);
}
