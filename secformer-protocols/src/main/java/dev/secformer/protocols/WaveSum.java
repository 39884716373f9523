package dev.secformer.protocols;

import dev.secformer.core.VectorSupport;
import java.lang.invoke.MethodHandles;

/**
 * The local step of {@link SecureSine}: for every element i, with a = 2 pi delta_i / M and the
 * dealer's shares of sin(k_j t) and cos(k_j t),
 * sum_j cs_j sin(k_j (a + t)) = sum_j [cs_j sin(k_j a)] cos(k_j t) + [cs_j cos(k_j a)] sin(k_j t)
 * (or the cosine), the public factors in brackets rounded to integers. Two implementations with
 * identical results: the Vector API's when the JVM has {@code jdk.incubator.vector}, scalar
 * otherwise.
 */
interface WaveSum {
    WaveSum SCALAR = new ScalarWaveSum();
    WaveSum DEFAULT = VectorSupport.choose(MethodHandles.lookup(), WaveSum.class, "dev.secformer.protocols.VectorWaveSum", SCALAR);

    /**
     * @param delta  the opened delta per element
     * @param shares this party's shares: sin(k_j t) at {@code 2j}, cos(k_j t) at {@code 2j + 1}
     * @param cs     the coefficients times 2^f (0: frequency unused)
     * @param sine   the sine series, else the cosine series
     * @return this party's share per element, at 2f fractional bits
     */
    long[] sum(long[] delta, long[][] shares, double[] cs, boolean sine, int[] frequencies, SecureSine.Angles angles);
}
