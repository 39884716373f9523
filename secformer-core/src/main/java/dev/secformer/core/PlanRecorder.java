package dev.secformer.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Draws from another source of correlated randomness and records every recipe with the cost phase it
 * was drawn in: the first computation of a plan runs this way, and its record is the plan the next
 * ones are prepared from.
 */
public final class PlanRecorder implements CorrelatedRandomness {
    private final CorrelatedRandomness source;
    private final CostMeter meter;
    private final List<CorrelationPlan.Step> steps = new ArrayList<>();

    /** @param meter the computing party's meter, whose current phase names each step */
    public PlanRecorder(CorrelatedRandomness source, CostMeter meter) {
        this.source = source;
        this.meter = meter;
    }

    @Override
    public long[][] draw(Correlation c) {
        steps.add(new CorrelationPlan.Step(meter.currentPath(), c));
        return source.draw(c);
    }

    /** The plan of what was drawn so far. */
    public CorrelationPlan plan() {
        return new CorrelationPlan(steps);
    }
}
