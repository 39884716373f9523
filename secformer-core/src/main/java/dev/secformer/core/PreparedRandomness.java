package dev.secformer.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One party's correlated randomness for one run of a {@link CorrelationPlan}, made before the input
 * exists: the offline phase. {@link #prepare} draws every step from a source on the run's own seeds
 * (party 1's corrections arrive from the dealer then) and does each recipe's local
 * {@link Correlation#precompute}; online, {@link #draw} only hands the shares out.
 *
 * <p>The material waits off the Java heap ({@link OffHeapLongs}): young collections during the
 * request would otherwise copy it. Each share is handed out once and then dropped, so the material
 * is never reused and its memory is freed as the computation advances. A computation that draws a
 * recipe other than the plan's next step fails at once, naming both, instead of computing with the
 * wrong material.
 */
public final class PreparedRandomness implements CorrelatedRandomness {
    private final CorrelationPlan plan;
    private final OffHeapLongs.Stored[][] shares;
    private final Map<String, CostMeter.PhaseCost> offlineCost;
    private int next;

    private PreparedRandomness(CorrelationPlan plan, OffHeapLongs.Stored[][] shares, Map<String, CostMeter.PhaseCost> offlineCost) {
        this.plan = plan;
        this.shares = shares;
        this.offlineCost = Collections.unmodifiableMap(offlineCost);
    }

    /**
     * Prepares party {@code partyId}'s material for one run of {@code plan}, drawing from {@code source},
     * which must be seeded for this run alone. Records per cost phase the dealer bytes party 1 receives
     * and the time taken. Interruptible between steps.
     */
    public static PreparedRandomness prepare(CorrelationPlan plan, CorrelatedRandomness source, int partyId)
            throws InterruptedException {
        OffHeapLongs.Stored[][] shares = new OffHeapLongs.Stored[plan.size()][];
        Map<String, long[]> costs = new LinkedHashMap<>();
        long last = System.nanoTime();
        for (int i = 0; i < shares.length; i++) {
            if (Thread.interrupted()) {
                throw new InterruptedException("preparation interrupted at step " + i + " of " + shares.length);
            }
            CorrelationPlan.Step step = plan.steps().get(i);
            long[][] parts = source.draw(step.correlation());
            shares[i] = new OffHeapLongs.Stored[parts.length];
            for (int j = 0; j < parts.length; j++) {
                shares[i][j] = parts[j] == null ? null : OffHeapLongs.store(parts[j]); // a part a recipe leaves out
            }
            long now = System.nanoTime();
            long[] c = costs.computeIfAbsent(step.path(), k -> new long[2]);
            c[0] += partyId == 1 ? 8 * CorrelationPlan.derivedElements(step.correlation()) : 0;
            c[1] += now - last;
            last = now;
        }
        Map<String, CostMeter.PhaseCost> offline = new LinkedHashMap<>();
        costs.forEach((path, c) -> offline.put(path, CostMeter.PhaseCost.offline(c[0], c[1])));
        return new PreparedRandomness(plan, shares, offline);
    }

    @Override
    public long[][] draw(Correlation c) {
        if (next >= shares.length) {
            throw new IllegalStateException("the computation drew more correlations than its plan's " + shares.length
                    + "; extra draw: " + describe(c));
        }
        if (!plan.matches(next, c)) {
            throw new IllegalStateException("the computation left its plan at draw " + next + ": it drew " + describe(c)
                    + " where the plan has " + describe(plan.steps().get(next).correlation()) + " (phase "
                    + plan.steps().get(next).path() + ")");
        }
        OffHeapLongs.Stored[] stored = shares[next];
        shares[next++] = null;
        long[][] s = new long[stored.length][];
        for (int j = 0; j < s.length; j++) {
            s[j] = stored[j] == null ? null : stored[j].take();
        }
        return s;
    }

    /** Fails when the computation drew fewer correlations than planned (it did not follow the plan). */
    public void checkUsedUp() {
        if (next != shares.length) {
            throw new IllegalStateException("the computation drew " + next + " of its plan's " + shares.length
                    + " correlations");
        }
    }

    /** The plan this material serves. */
    public CorrelationPlan plan() {
        return plan;
    }

    /** What preparing cost this party, per cost phase path (dealer bytes and offline time). */
    public Map<String, CostMeter.PhaseCost> offlineCost() {
        return offlineCost;
    }

    private static String describe(Correlation c) {
        return c.kind() + Arrays.toString(c.parameters());
    }
}
