package dev.secformer.protocols;

import java.util.Arrays;

import dev.secformer.core.Party;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Truncation;

/** Shape checks and the centering step shared by the LayerNorm protocols. */
final class LayerNormShapes {
    private LayerNormShapes() {
    }

    /** The normalised length d, after checking gamma and beta have shape [d]. */
    static int width(SharedTensor x, SharedTensor gamma, SharedTensor beta) {
        int[] s = x.shape();
        if (s.length == 0 || s[s.length - 1] == 0) {
            throw new IllegalArgumentException("LayerNorm: input shape " + Arrays.toString(s) + " has no last axis");
        }
        int d = s[s.length - 1];
        if (!Arrays.equals(gamma.shape(), new int[] {d}) || !Arrays.equals(beta.shape(), new int[] {d})) {
            throw new IllegalArgumentException("LayerNorm: gamma " + Arrays.toString(gamma.shape()) + " and beta "
                    + Arrays.toString(beta.shape()) + " must have shape [" + d + "]");
        }
        return d;
    }

    /** {@code v} (shape [d]) repeated over every row of {@code shape} (last axis d), locally. */
    static SharedTensor repeatRows(SharedTensor v, int[] shape) {
        long[] in = v.share().data();
        long[] out = new long[Math.toIntExact(java.util.Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b))];
        for (int i = 0; i < out.length; i += in.length) {
            System.arraycopy(in, 0, out, i, in.length);
        }
        return new SharedTensor(v.partyId(), RingTensor.of(out, shape));
    }

    /**
     * x - mean over the last axis: the row sum divided by the public d (within two units; one
     * round if the truncation is exact).
     */
    static SharedTensor center(Party p, SharedTensor x, int d) {
        SharedTensor mean = Truncation.divide(p, x.sumLastAxis(), d);
        return x.sub(Rescaling.expandRows(mean, d, x.shape()));
    }
}
