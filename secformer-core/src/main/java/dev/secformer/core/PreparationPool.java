package dev.secformer.core;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A party's offline phase as a service: for every known plan it keeps up to {@code depth} runs'
 * correlations prepared ahead, refilled in the background by one worker thread as runs are taken.
 * A plan is held as an instance (a number party 0 picks at random when the plan is recorded, so that
 * a plan recorded again never repeats a run's seeds); runs of an instance are numbered 0, 1, 2, ...;
 * both parties prepare them in that order, party 0 takes the next one for each request and tells
 * party 1 its number, and party 1 takes that one.
 *
 * <p>Offline work yields to online work: while a computation runs ({@link #computing}) the worker
 * prepares only runs that a request is waiting for, so that preparing does not slow the
 * online phase down on the same cores; otherwise it refills in the gaps between requests.
 *
 * <p>Bounded: at most {@code depth} prepared runs per plan ahead of requests (plus those that
 * concurrent requests wait for, and the one being prepared) and at most {@code maxPlans} plans (the
 * least recently used is forgotten). Each run is handed out once; concurrent sessions may take them
 * out of order; a run skipped by party 0 is discarded by party 1, never used later. A run whose
 * preparation fails
 * is lost (its number is never reused): a taker waiting for it gets the failure, and the worker
 * goes on with the next number after a pause.
 */
public final class PreparationPool implements AutoCloseable {
    /** Prepares this party's material for run {@code run} of instance {@code instance} of {@code plan}. */
    @FunctionalInterface
    public interface Source {
        PreparedRandomness prepare(String key, CorrelationPlan plan, long instance, long run) throws Exception;
    }

    /** A run taken from the pool: its plan instance, its number and its material. */
    public record Run(long instance, long number, PreparedRandomness randomness) {
    }


    private static final class Plan {
        final CorrelationPlan plan;
        final long instance;
        final java.util.TreeMap<Long, Run> ready = new java.util.TreeMap<>();
        long nextToPrepare;
        /** Party 0's next number: it takes runs in order. */
        long nextInOrder;
        long highestTaken = -1;
        /** The highest number a taker has waited for: the worker prepares up to it whatever the depth. */
        long wantedUpTo = -1;
        /** The number being prepared, or -1. */
        long preparing = -1;
        /** The last failure of a preparation (that run's number is lost), for takers. */
        Exception failure;

        Plan(CorrelationPlan plan, long instance) {
            this.plan = plan;
            this.instance = instance;
        }

        /** Prepared runs above every number taken so far: those the next requests will use. */
        int ahead() {
            return ready.tailMap(highestTaken, false).size();
        }
    }

    private final int depth;
    private final int maxPlans;
    /**
     * How far out of order concurrent sessions may arrive (the most sessions party 0 runs at once):
     * runs more than this many numbers below the highest one taken are discarded (party 0 skipped
     * them, its own preparation having failed), and a request this far ahead of the preparation skips
     * the numbers in between.
     */
    private final int window;
    private final Source source;
    private final Duration timeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, Plan> plans = new LinkedHashMap<>(16, 0.75f, true);
    private final Thread worker;
    private int computing;
    private volatile boolean closed;

    /**
     * @param depth    runs kept prepared per plan (at least 1)
     * @param maxPlans plans kept (at least 1)
     * @param window   the most sessions party 0 runs at once (at least 1)
     * @param timeout  the longest a taker waits for a run being prepared
     */
    public PreparationPool(int depth, int maxPlans, int window, Source source, Duration timeout, String name) {
        if (depth < 1 || maxPlans < 1 || window < 1) {
            throw new IllegalArgumentException("depth, maxPlans and window must be at least 1, got " + depth + ", "
                    + maxPlans + " and " + window);
        }
        this.depth = depth;
        this.maxPlans = maxPlans;
        this.window = window;
        this.source = source;
        this.timeout = timeout;
        this.worker = new Thread(this::work, name);
        worker.setDaemon(true);
        worker.start();
    }

    /** Starts preparing runs of instance {@code instance} of {@code plan} under {@code key}, replacing any other instance. */
    public void add(String key, CorrelationPlan plan, long instance) {
        lock.lock();
        try {
            Plan known = plans.get(key);
            if (known != null && known.instance == instance) {
                return;
            }
            plans.put(key, new Plan(plan, instance));
            Iterator<String> eldest = plans.keySet().iterator();
            while (plans.size() > maxPlans) {
                eldest.next();
                eldest.remove();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Forgets the plan {@code key} and its prepared runs. */
    public void forget(String key) {
        lock.lock();
        try {
            if (plans.remove(key) != null) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The plan known under {@code key}, or null. */
    public CorrelationPlan plan(String key) {
        lock.lock();
        try {
            Plan p = plans.get(key);
            return p == null ? null : p.plan;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Party 1: the plan known under {@code key} as instance {@code instance}, waiting up to the timeout for it (party 0 may finish
     * the session that recorded it, and start the next, before party 1 has finished its own); null
     * if it does not come.
     */
    public CorrelationPlan awaitPlan(String key, long instance) throws InterruptedException {
        lock.lock();
        try {
            return awaitUntil(() -> plans.get(key) != null && plans.get(key).instance == instance, timeout)
                    ? plans.get(key).plan : null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Party 0: the next run of {@code key}, waiting up to the timeout while it is prepared; null when
     * no plan {@code key} is held (never recorded, or forgotten meanwhile): the session then records it.
     */
    public Run takeNext(String key) throws InterruptedException {
        try {
            return take(key, -1);
        } catch (NoPlan e) {
            return null;
        }
    }

    /** The plan a taker asked for is not held. */
    private static final class NoPlan extends IllegalStateException {
        NoPlan(String key) {
            super("no plan " + key + " is prepared");
        }
    }

    /**
     * Party 1: run {@code number} of {@code key}, waiting up to the timeout while it is prepared. Runs
     * far below the highest number taken (the window) are discarded.
     */
    public Run take(String key, long number) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                Plan p = plans.get(key);
                if (closed) {
                    throw new IllegalStateException("the preparation pool is closed");
                }
                if (p == null) {
                    throw new NoPlan(key);
                }
                long wanted = number < 0 ? p.nextInOrder : number;
                Run r = p.ready.remove(wanted);
                if (r != null) {
                    if (number < 0) {
                        p.nextInOrder = wanted + 1;
                    }
                    p.highestTaken = Math.max(p.highestTaken, wanted);
                    p.ready.headMap(p.highestTaken - window).clear(); // skipped by party 0: never used
                    changed.signalAll();
                    return r;
                }
                if (wanted < p.nextToPrepare && p.preparing != wanted || wanted < p.highestTaken - window) {
                    if (number < 0) {
                        p.nextInOrder = wanted + 1;
                    }
                    throw new IllegalStateException("run " + wanted + " of plan " + key
                            + " was used, discarded or could not be prepared" + (p.failure == null ? "" : ": " + p.failure),
                            p.failure);
                }
                if (wanted > p.nextToPrepare + window) {
                    p.nextToPrepare = wanted - window; // party 0 skipped that many: do not prepare them all
                }
                p.wantedUpTo = Math.max(p.wantedUpTo, wanted);
                changed.signalAll();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("run " + wanted + " of plan " + key + " was not prepared within " + timeout);
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks an online computation as running until the returned handle is closed: meanwhile the
     * worker prepares only what a waiting request needs.
     */
    public AutoCloseable computing() {
        lock.lock();
        try {
            computing++;
        } finally {
            lock.unlock();
        }
        boolean[] done = {false};
        return () -> {
            lock.lock();
            try {
                if (!done[0]) {
                    done[0] = true;
                    computing--;
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        };
    }

    /** Waits until every plan has {@code depth} runs ready, or the timeout; true if it has. */
    public boolean awaitFull(Duration wait) throws InterruptedException {
        lock.lock();
        try {
            return awaitUntil(() -> plans.values().stream().allMatch(p -> p.ahead() >= depth), wait);
        } finally {
            lock.unlock();
        }
    }

    /** With the lock held: waits until {@code condition} holds, at most {@code wait} (or until closed); whether it holds. */
    private boolean awaitUntil(java.util.function.BooleanSupplier condition, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            boolean holds = condition.getAsBoolean();
            long left = deadline - System.nanoTime();
            if (holds || left <= 0 || closed) {
                return holds;
            }
            changed.awaitNanos(left);
        }
    }

    private void work() {
        while (!closed) {
            String key;
            Plan p;
            long number;
            lock.lock();
            try {
                Map.Entry<String, Plan> next = null;
                for (Map.Entry<String, Plan> e : plans.entrySet()) {
                    Plan q = e.getValue();
                    boolean awaited = q.nextToPrepare <= q.wantedUpTo;
                    if (awaited || q.ahead() < depth && computing == 0) {
                        next = e;
                        break;
                    }
                }
                if (next == null) {
                    changed.await(1, TimeUnit.SECONDS);
                    continue;
                }
                key = next.getKey();
                p = next.getValue();
                number = p.nextToPrepare++;
                p.preparing = number;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            Run run = null;
            Exception failure = null;
            try {
                run = new Run(p.instance, number, source.prepare(key, p.plan, p.instance, number));
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failure = e;
            }
            lock.lock();
            try {
                p.preparing = -1;
                if (run != null && number >= p.highestTaken - window) {
                    p.ready.put(number, run);
                }
                if (failure != null) {
                    p.failure = failure;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            if (run == null) {
                sleepAfterFailure();
            }
        }
    }

    private void sleepAfterFailure() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the worker; takers waiting fail. */
    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        lock.lock();
        try {
            plans.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
