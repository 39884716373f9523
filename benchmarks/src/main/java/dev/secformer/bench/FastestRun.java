package dev.secformer.bench;

import dev.secformer.nn.secure.BertInference;

/**
 * The run a suite reports: the fastest of those on prepared correlations; the recording run (the
 * first of an input shape, which draws inline) only while no prepared one has come.
 */
final class FastestRun {
    private BertInference run;
    private double seconds = Double.MAX_VALUE;

    /** Considers a run that took {@code s} seconds. */
    void offer(BertInference r, double s) {
        if (run == null || r.cost().prepared() && (!run.cost().prepared() || s < seconds)) {
            run = r;
            seconds = s;
        }
    }

    BertInference run() {
        return run;
    }

    double seconds() {
        return seconds;
    }
}
