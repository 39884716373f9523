package dev.secformer.bench;

import dev.secformer.core.CostReport;
import dev.secformer.core.FixedPoint;
import dev.secformer.core.Prg;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Sharing;
import dev.secformer.core.TwoPartyRuntime;
import java.util.Arrays;

/** Runs a {@link ProtocolCase} in the in-process simulator and measures it against its oracle. */
final class ProtocolMeasurement {
    /** The figures of one case: time is the best of the timed repetitions, after one untimed warm-up run. */
    record Row(String key, String op, String protocol, String shape, double millis, long onlineBytes, long rounds,
               long dealerBytes, double maxAbsError, double maxRelError) {
    }

    private ProtocolMeasurement() {
    }

    static Row measure(ProtocolCase c, int repetitions) {
        TwoPartyRuntime runtime = new TwoPartyRuntime();
        FixedPoint fp = runtime.fixedPoint();
        double[] x = c.input();
        RingTensor[] shares = Sharing.split(fp.encode(x, c.shape()), Prg.fresh());
        double best = Double.MAX_VALUE;
        TwoPartyRuntime.Result<RingTensor> last = null;
        for (int r = -1; r < Math.max(1, repetitions); r++) { // r = -1: an untimed warm-up run for the JIT
            long start = System.nanoTime();
            last = runtime.run(p -> {
                try (var ph = p.phase("protocol")) {
                    return c.run(p, new SharedTensor(p.id(), shares[p.id()])).share();
                }
            });
            if (r >= 0) {
                best = Math.min(best, (System.nanoTime() - start) / 1e6);
            }
        }
        double[] got = fp.decode(Sharing.reconstruct(last.party0(), last.party1()));
        double[] want = c.oracle(x);
        if (got.length != want.length) {
            throw new IllegalStateException(c.protocol() + " " + c.op() + ": " + got.length + " outputs, oracle has " + want.length);
        }
        double abs = 0;
        double rel = 0;
        for (int i = 0; i < got.length; i++) {
            double e = Math.abs(got[i] - want[i]);
            abs = Math.max(abs, e);
            rel = Math.max(rel, e / Math.max(Math.abs(want[i]), c.relativeFloor()));
        }
        CostReport.Entry e = last.cost().forLabel("protocol");
        return new Row(c.key(), c.op(), c.protocol(), Arrays.toString(c.shape()), best, e.onlineBytes(), e.rounds(),
                e.dealerBytes(), abs, rel);
    }
}
