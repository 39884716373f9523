package dev.secformer.protocols;

import dev.secformer.core.Beaver;
import dev.secformer.core.Party;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Truncation;

/**
 * MPCFormer's Quad replacement of GeLU: 0.125 x^2 + 0.25 x + 0.5 (only for models distilled with
 * it; far from GeLU itself). One Beaver square and one truncation: 2 rounds, 32 online bytes per
 * element (both parties), 24 dealer bytes (1 round, 16 bytes and 8 with the local truncation).
 */
public final class QuadGelu implements GeluProtocol {
    @Override
    public SharedTensor apply(Party p, SharedTensor x) {
        int f = p.fixedPoint().fractionBits();
        // x^2 / 8 + x / 4, both at 2f + 3 bits, then one truncation
        SharedTensor sum = Beaver.square(p, x).add(x.mulPublic(2L << f));
        return Truncation.truncate(p, sum, f + 3).addPublic(p.fixedPoint().encode(0.5));
    }

    /** The same function in double precision. */
    public static double reference(double x) {
        return 0.125 * x * x + 0.25 * x + 0.5;
    }
}
