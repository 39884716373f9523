package dev.secformer.core;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One party's cost accounting: bytes sent and received, rounds, bytes received from the dealer
 * and wall time, attributed to labelled phases.
 *
 * <p>Phases nest; costs go to the innermost open phase under its path ({@code "layer0/GeLU/compare"}),
 * so a report can be read per step or summed per top-level label. Time is exclusive per path
 * (the time spent while that path was the innermost one), so sums over paths do not count twice.
 * Work outside any phase is attributed to {@value #UNLABELLED}. A meter is used by one thread.
 */
public final class CostMeter {
    /** The path of costs recorded outside any phase. */
    public static final String UNLABELLED = "(unlabelled)";

    private final Map<String, long[]> costs = new LinkedHashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private long lastSwitch = System.nanoTime();

    private static final int SENT = 0;
    private static final int RECEIVED = 1;
    private static final int ROUNDS = 2;
    private static final int DEALER = 3;
    private static final int NANOS = 4;

    /** An open phase; closing it returns to the enclosing one. */
    public interface Phase extends AutoCloseable {
        @Override
        void close();
    }

    /** Opens a phase named {@code label} (no '/') inside the current one. */
    public Phase phase(String label) {
        if (label.isEmpty() || label.indexOf('/') >= 0) {
            throw new IllegalArgumentException("phase label must be non-empty and contain no '/': \"" + label + "\"");
        }
        chargeTime();
        String path = stack.isEmpty() ? label : stack.peek() + "/" + label;
        stack.push(path);
        costs.computeIfAbsent(path, k -> new long[5]);
        int depth = stack.size();
        return () -> {
            if (stack.size() != depth || !stack.peek().equals(path)) {
                throw new IllegalStateException("phase " + path + " closed out of order");
            }
            chargeTime();
            stack.pop();
        };
    }

    /** The path of the innermost open phase ({@value #UNLABELLED} outside any): the step a message belongs to. */
    public String currentPath() {
        return stack.isEmpty() ? UNLABELLED : stack.peek();
    }

    private long[] current() {
        return costs.computeIfAbsent(currentPath(), k -> new long[5]);
    }

    private void chargeTime() {
        long now = System.nanoTime();
        if (!stack.isEmpty()) {
            current()[NANOS] += now - lastSwitch;
        }
        lastSwitch = now;
    }

    public void recordSent(long bytes) {
        current()[SENT] += bytes;
    }

    public void recordReceived(long bytes) {
        current()[RECEIVED] += bytes;
    }

    public void recordRound() {
        current()[ROUNDS]++;
    }

    /** Bytes this party received from the dealer (seeds and corrections). */
    public void recordDealerBytes(long bytes) {
        current()[DEALER] += bytes;
    }

    /** The costs so far, per phase path, in order of first use. */
    public Map<String, PhaseCost> snapshot() {
        chargeTime();
        Map<String, PhaseCost> out = new LinkedHashMap<>();
        costs.forEach((path, c) -> out.put(path, new PhaseCost(c[SENT], c[RECEIVED], c[ROUNDS], c[DEALER], c[NANOS], 0)));
        return out;
    }

    /** The sum over all phases. */
    public PhaseCost total() {
        return snapshot().values().stream().reduce(PhaseCost.ZERO, PhaseCost::plus);
    }

    /** Forgets all costs (open phases stay open). */
    public void reset() {
        costs.clear();
        lastSwitch = System.nanoTime();
    }

    /**
     * One party's cost of one phase: what it sent and received, its rounds, the dealer bytes it received,
     * its online time, and the offline time spent preparing the phase's correlations before the input
     * existed (0 when they were drawn inline).
     */
    public record PhaseCost(long bytesSent, long bytesReceived, long rounds, long dealerBytes, long nanos, long offlineNanos) {
        public static final PhaseCost ZERO = new PhaseCost(0, 0, 0, 0, 0, 0);

        /** The cost of preparing a phase's correlations ahead: dealer bytes and offline time only. */
        public static PhaseCost offline(long dealerBytes, long offlineNanos) {
            return new PhaseCost(0, 0, 0, dealerBytes, 0, offlineNanos);
        }

        public PhaseCost plus(PhaseCost o) {
            return new PhaseCost(bytesSent + o.bytesSent, bytesReceived + o.bytesReceived, rounds + o.rounds,
                    dealerBytes + o.dealerBytes, nanos + o.nanos, offlineNanos + o.offlineNanos);
        }
    }

    /** {@code online} with {@code offline} added path by path (paths only in {@code offline} come last). */
    public static Map<String, PhaseCost> merge(Map<String, PhaseCost> online, Map<String, PhaseCost> offline) {
        Map<String, PhaseCost> out = new LinkedHashMap<>(online);
        offline.forEach((path, c) -> out.merge(path, c, PhaseCost::plus));
        return out;
    }
}
