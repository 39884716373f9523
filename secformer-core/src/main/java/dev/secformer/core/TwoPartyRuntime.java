package dev.secformer.core;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The in-process simulator: runs a program as party 0 and party 1 on two threads, connected by an
 * {@link InMemoryChannel}, with a {@link Dealer} in the same JVM. The program is the same code a
 * party runs in deployment; it receives its {@link Party} and returns its output.
 *
 * <p>{@link #run} uses a fresh session (channels and dealer) per call, drawing every correlation
 * inline. A {@link Session} keeps them across calls, so that state prepared in one run (a model's
 * {@link FixedWeight}s, whose masks live in the session's persistent seeds) serves later runs, each
 * with its own cost report, and it separates the offline phase from the online one as a deployment
 * does: the first run of a named plan records the correlations it draws ({@link CorrelationPlan});
 * later runs of that plan use material prepared before they start ({@link Session#prepare}), so that
 * their online phase only hands shares out.
 *
 * <p>If either party throws, both channels are closed so that the other fails promptly, and the
 * run throws a {@link TwoPartyException} whose cause is the first failure; the session is then
 * unusable. Every wait is bounded by the runtime's timeout: a computation never hangs.
 */
public final class TwoPartyRuntime {
    /** What a party runs. */
    @FunctionalInterface
    public interface Program<T> {
        T run(Party party) throws Exception;
    }

    /**
     * Both parties' outputs and the cost of the run.
     *
     * @param cost          per phase: online bytes, rounds, dealer bytes, online time and, for a prepared run,
     *                      the offline time of preparing its correlations
     * @param dealerBytes   what the dealer sent for this run (seeds and corrections)
     * @param dealerNanos   the dealer's time computing them
     * @param offlineNanos  wall time of preparing this run's correlations (both parties at once); 0 when
     *                      they were drawn inline
     * @param onlineNanos   wall time of the computation itself, from both parties' start to both outputs
     * @param prepared      whether the run used correlations prepared before it (an offline phase)
     */
    public record Result<T>(T party0, T party1, CostReport cost, long dealerBytes, long dealerNanos, long offlineNanos,
                            long onlineNanos, boolean prepared) {
    }

    private final FixedPoint fixedPoint;
    private final Duration timeout;

    public TwoPartyRuntime() {
        this(FixedPoint.standard());
    }

    /** A runtime whose parties use {@code fixedPoint}, with a 10-minute timeout. */
    public TwoPartyRuntime(FixedPoint fixedPoint) {
        this(fixedPoint, Duration.ofMinutes(10));
    }

    /** @param timeout the longest a party waits for a message, and the bound on shutting down after a failure */
    public TwoPartyRuntime(FixedPoint fixedPoint, Duration timeout) {
        this.fixedPoint = fixedPoint;
        this.timeout = timeout;
    }

    public FixedPoint fixedPoint() {
        return fixedPoint;
    }

    /** Runs {@code program} as both parties in a fresh session. */
    public <T> Result<T> run(Program<T> program) {
        return run(program, program);
    }

    /** Runs {@code program0} as party 0 and {@code program1} as party 1 in a fresh session. */
    public <T> Result<T> run(Program<T> program0, Program<T> program1) {
        try (Session s = openSession()) {
            return s.run(program0, program1);
        }
    }

    /** A session whose channels and dealer persist across runs; close it when done. */
    public Session openSession() {
        return new Session();
    }

    /**
     * Two parties, their channel and their dealer, kept across runs. Runs are sequential.
     *
     * <p>Each prepared run draws from seeds of its own (children of the session seeds, see
     * {@link Prg#childSeed}), so runs can be prepared in any number ahead; each is used once.
     */
    public final class Session implements AutoCloseable {
        private final PersistentMasks persistent = PersistentMasks.fresh();
        private final byte[][] seeds = {Prg.freshSeed(), Prg.freshSeed()};
        private final Dealer dealer = new Dealer(seeds[0], seeds[1], persistent);
        private final InMemoryChannel[] ch = InMemoryChannel.pair(timeout);
        private final Party[] parties = new Party[2];
        private final Map<String, CorrelationPlan[]> plans = new HashMap<>();
        private final Map<String, Deque<Prepared>> prepared = new HashMap<>();
        private long nextChild;
        private boolean seedsCounted;
        private boolean broken;

        /** Both parties' material for one run, with what preparing it cost. */
        private record Prepared(PreparedRandomness[] parties, long dealerBytes, long dealerNanos, long nanos) {
        }

        private Session() {
            parties[0] = new Party(ch[0], new SeededRandomness(0, dealer.seedFor(0), dealer.persistentSeedFor(0), null, ch[0].meter()), fixedPoint);
            parties[1] = new Party(ch[1], new SeededRandomness(1, dealer.seedFor(1), dealer.persistentSeedFor(1), dealer, ch[1].meter()), fixedPoint);
        }

        /** Runs {@code program} as both parties, drawing correlations inline; the cost report covers this run only. */
        public <T> Result<T> run(Program<T> program) {
            return run(program, program);
        }

        /** Runs {@code program0} as party 0 and {@code program1} as party 1, drawing correlations inline. */
        public synchronized <T> Result<T> run(Program<T> program0, Program<T> program1) {
            long dealerBytes0 = dealerBytesSoFar();
            long dealerNanos0 = dealer.nanos();
            return execute(parties[0], parties[1], program0, program1).result(Map.of(), Map.of(),
                    dealer.bytesSent() - dealerBytes0, dealer.nanos() - dealerNanos0, 0, false);
        }

        /**
         * Runs {@code program} as both parties under the plan named {@code plan}, which names what
         * decides the correlations a run draws (the program and its input shape). The first run of a
         * plan draws inline and records the plan; later runs take material prepared by {@link #prepare}
         * (or prepare it first, when none is ready, and report that time as offline).
         */
        public synchronized <T> Result<T> run(String plan, Program<T> program) {
            CorrelationPlan[] known = plans.get(plan);
            if (known == null) {
                long dealerBytes0 = dealerBytesSoFar();
                long dealerNanos0 = dealer.nanos();
                PlanRecorder[] rec = new PlanRecorder[2];
                Party[] recording = new Party[2];
                for (int i = 0; i < 2; i++) {
                    rec[i] = new PlanRecorder(parties[i].dealer(), ch[i].meter());
                    recording[i] = new Party(ch[i], rec[i], fixedPoint);
                }
                Executed<T> run = execute(recording[0], recording[1], program, program);
                CorrelationPlan[] recorded = {rec[0].plan(), rec[1].plan()};
                if (!Arrays.equals(recorded[0].fingerprint(), recorded[1].fingerprint())) {
                    throw new IllegalStateException("plan " + plan + ": the parties drew different correlations ("
                            + recorded[0].size() + " and " + recorded[1].size() + " draws)");
                }
                plans.put(plan, recorded);
                return run.result(Map.of(), Map.of(), dealer.bytesSent() - dealerBytes0, dealer.nanos() - dealerNanos0, 0, false);
            }
            Deque<Prepared> ready = prepared.computeIfAbsent(plan, k -> new ArrayDeque<>());
            Prepared material = ready.isEmpty() ? prepareOne(known) : ready.poll();
            Party p0 = new Party(ch[0], material.parties()[0], fixedPoint);
            Party p1 = new Party(ch[1], material.parties()[1], fixedPoint);
            Executed<T> run = execute(p0, p1, program, program);
            material.parties()[0].checkUsedUp();
            material.parties()[1].checkUsedUp();
            return run.result(material.parties()[0].offlineCost(), material.parties()[1].offlineCost(),
                    material.dealerBytes(), material.dealerNanos(), material.nanos(), true);
        }

        /**
         * The offline phase: prepares the correlations of {@code count} runs of the recorded plan
         * {@code plan}, both parties at once (as on their own machines), and keeps them for the
         * next runs of that plan. Returns the wall time in nanoseconds. Memory: each prepared run
         * holds every share each party draws in one run.
         */
        public synchronized long prepare(String plan, int count) {
            CorrelationPlan[] known = plans.get(plan);
            if (known == null) {
                throw new IllegalStateException("plan " + plan + " is not known yet: run it once first");
            }
            long start = System.nanoTime();
            Deque<Prepared> ready = prepared.computeIfAbsent(plan, k -> new ArrayDeque<>());
            for (int i = 0; i < count; i++) {
                ready.add(prepareOne(known));
            }
            return System.nanoTime() - start;
        }

        /** Runs prepared ahead for {@code plan} and not used yet. */
        public synchronized int preparedRuns(String plan) {
            Deque<Prepared> ready = prepared.get(plan);
            return ready == null ? 0 : ready.size();
        }

        private Prepared prepareOne(CorrelationPlan[] plan) {
            checkUsable();
            long child = nextChild++;
            byte[] s0 = Prg.childSeed(seeds[0], child);
            byte[] s1 = Prg.childSeed(seeds[1], child);
            Dealer runDealer = new Dealer(s0, s1, persistent);
            byte[][] persistentSeeds = {persistent.seedFor(0), persistent.seedFor(1)};
            long start = System.nanoTime();
            CompletableFuture<PreparedRandomness> f1 = CompletableFuture.supplyAsync(() -> prepareParty(plan[1],
                    new SeededRandomness(1, s1, persistentSeeds[1], runDealer, new CostMeter()), 1), Session::runOnNewThread);
            PreparedRandomness r0 = prepareParty(plan[0], new SeededRandomness(0, s0, persistentSeeds[0], null, new CostMeter()), 0);
            PreparedRandomness r1;
            try {
                r1 = f1.get(timeout.toNanos() * 2, TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new TwoPartyException("preparing party 1's correlations failed: " + e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new TwoPartyException("preparing party 1's correlations took longer than " + timeout.multipliedBy(2), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TwoPartyException("interrupted while preparing correlations", e);
            }
            return new Prepared(new PreparedRandomness[] {r0, r1}, runDealer.bytesSent(), runDealer.nanos(),
                    System.nanoTime() - start);
        }

        private static PreparedRandomness prepareParty(CorrelationPlan plan, SeededRandomness source, int id) {
            try {
                return PreparedRandomness.prepare(plan, source, id);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TwoPartyException("interrupted while preparing party " + id + "'s correlations", e);
            }
        }

        private static void runOnNewThread(Runnable r) {
            Thread t = new Thread(r, "secformer-offline-party-1");
            t.setDaemon(true);
            t.start();
        }

        private long dealerBytesSoFar() {
            return seedsCounted ? dealer.bytesSent() : 0;
        }

        private void checkUsable() {
            if (broken) {
                throw new IllegalStateException("this session failed earlier and cannot run again");
            }
        }

        /** Both parties' outputs and online cost snapshots of one run. */
        private record Executed<T>(T out0, T out1, Map<String, CostMeter.PhaseCost> cost0,
                                   Map<String, CostMeter.PhaseCost> cost1, long nanos) {
            Result<T> result(Map<String, CostMeter.PhaseCost> offline0, Map<String, CostMeter.PhaseCost> offline1,
                                 long dealerBytes, long dealerNanos, long offlineNanos, boolean prepared) {
                CostReport report = CostReport.combine(CostMeter.merge(cost0, offline0), CostMeter.merge(cost1, offline1));
                return new Result<>(out0, out1, report, dealerBytes, dealerNanos, offlineNanos, nanos, prepared);
            }
        }

        /** Runs both programs on the session's channels. */
        private <T> Executed<T> execute(Party party0, Party party1, Program<T> program0,
                                                               Program<T> program1) {
            checkUsable();
            for (InMemoryChannel c : ch) {
                c.meter().reset();
                if (!seedsCounted) {
                    try (var setup = c.meter().phase("setup")) {
                        c.meter().recordDealerBytes(2 * Prg.SEED_BYTES);
                    }
                }
            }
            seedsCounted = true;
            AtomicReference<Throwable> firstFailure = new AtomicReference<>();
            long begin = System.nanoTime();
            CompletableFuture<T> f0 = start(program0, party0, firstFailure);
            CompletableFuture<T> f1 = start(program1, party1, firstFailure);
            T out0 = await(f0, 0, firstFailure);
            T out1 = await(f1, 1, firstFailure);
            long nanos = System.nanoTime() - begin;
            if (firstFailure.get() != null) {
                broken = true;
                throw new TwoPartyException("two-party computation failed: " + firstFailure.get().getMessage(),
                        firstFailure.get());
            }
            return new Executed<>(out0, out1, ch[0].meter().snapshot(), ch[1].meter().snapshot(), nanos);
        }

        private <T> CompletableFuture<T> start(Program<T> program, Party party, AtomicReference<Throwable> firstFailure) {
            CompletableFuture<T> f = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    f.complete(program.run(party));
                } catch (Throwable e) {
                    firstFailure.compareAndSet(null, e);
                    close();
                    f.completeExceptionally(e);
                }
            }, "secformer-party-" + party.id());
            t.setDaemon(true);
            t.start();
            return f;
        }

        private <T> T await(CompletableFuture<T> f, int id, AtomicReference<Throwable> firstFailure) {
            try {
                return f.get(timeout.toNanos() * 2, TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                return null; // recorded in firstFailure
            } catch (TimeoutException e) {
                firstFailure.compareAndSet(null, new TimeoutException("party " + id + " did not finish within " + timeout.multipliedBy(2)));
                close();
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                firstFailure.compareAndSet(null, e);
                close();
                return null;
            }
        }

        /** Closes the channels; a party still waiting fails promptly. */
        @Override
        public void close() {
            ch[0].close();
            ch[1].close();
        }
    }
}
