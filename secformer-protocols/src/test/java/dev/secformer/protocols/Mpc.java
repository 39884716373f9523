package dev.secformer.protocols;

import java.util.function.BiFunction;

import dev.secformer.core.CostReport;
import dev.secformer.core.FixedPoint;
import dev.secformer.core.Party;
import dev.secformer.core.Prg;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Sharing;
import dev.secformer.core.TwoPartyRuntime;

/** Test harness: secret-shares plaintext inputs, runs a protocol as both parties, opens the output. */
final class Mpc {
    static final FixedPoint FP = FixedPoint.standard();

    private Mpc() {
    }

    /** The opened output (decoded) and the cost of the run. */
    record Run(double[] output, RingTensor raw, CostReport cost) {
    }

    /** A protocol on shares of several inputs. */
    @FunctionalInterface
    interface Protocol {
        SharedTensor run(Party p, SharedTensor[] inputs);
    }

    /** Runs {@code protocol} on shares of the fixed-point encodings of {@code input} (of {@code shape}). */
    static Run run(double[] input, int[] shape, BiFunction<Party, SharedTensor, SharedTensor> protocol) {
        return run(new RingTensor[] {FP.encode(input, shape)}, (p, xs) -> protocol.apply(p, xs[0]));
    }

    /** Runs {@code protocol} on shares of the given ring tensors. */
    static Run run(RingTensor[] inputs, Protocol protocol) {
        return run(FP, inputs, protocol);
    }

    /** The same with the parties' codec {@code fp} (the local truncation, say). */
    static Run run(FixedPoint fp, RingTensor[] inputs, Protocol protocol) {
        RingTensor[][] shares = new RingTensor[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            shares[i] = Sharing.split(inputs[i], Prg.fresh());
        }
        TwoPartyRuntime.Result<SharedTensor> r = new TwoPartyRuntime(fp).run(p -> {
            SharedTensor[] mine = new SharedTensor[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                mine[i] = new SharedTensor(p.id(), shares[i][p.id()]);
            }
            return protocol.run(p, mine);
        });
        RingTensor out = Sharing.reconstruct(r.party0().share(), r.party1().share());
        return new Run(FP.decode(out), out, r.cost());
    }

    /** The value the parties actually hold for a plaintext input: its fixed-point rounding. */
    static double quantized(double x) {
        return FP.decode(FP.encode(x));
    }

    static double[] quantized(double[] xs) {
        double[] q = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            q[i] = quantized(xs[i]);
        }
        return q;
    }

    static double[] linspace(double lo, double hi, int n) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = lo + (hi - lo) * i / (n - 1);
        }
        return r;
    }

    static double[] geomspace(double lo, double hi, int n) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = lo * Math.pow(hi / lo, (double) i / (n - 1));
        }
        return r;
    }

    static double[] concat(double[]... parts) {
        int n = 0;
        for (double[] p : parts) {
            n += p.length;
        }
        double[] r = new double[n];
        int pos = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, r, pos, p.length);
            pos += p.length;
        }
        return r;
    }

    /**
     * Relative errors |r_i y_i - 1| of the reciprocals a protocol gives for the fixed-point divisors
     * {@code y}, read from its scaled form (value 2^-scale_i).
     */
    static double[] reciprocalErrors(double[] y, BiFunction<Party, SharedTensor, ScaledReciprocal> reciprocal) {
        java.util.concurrent.atomic.AtomicReference<int[]> scale = new java.util.concurrent.atomic.AtomicReference<>();
        Run r = run(y, new int[] {y.length}, (p, s) -> {
            ScaledReciprocal v = reciprocal.apply(p, s);
            scale.set(v.scaleBits());
            return v.value();
        });
        double[] err = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            err[i] = Math.abs(Math.scalb((double) r.raw().data()[i], -scale.get()[i]) * quantized(y[i]) - 1);
        }
        return err;
    }

    /** Runs {@code body} with the range-check mode on, restoring the previous setting. */
    static void withRangeCheck(Runnable body) {
        boolean before = RangeCheck.enabled();
        RangeCheck.setEnabled(true);
        try {
            body.run();
        } finally {
            RangeCheck.setEnabled(before);
        }
    }
}
