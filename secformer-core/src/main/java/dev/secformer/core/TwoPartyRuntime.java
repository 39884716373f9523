package dev.secformer.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The in-process simulator: runs a program as party 0 and party 1 on two threads, connected by an
 * {@link InMemoryChannel}, with a {@link Dealer} on party 1's link. The program is the same code a
 * party runs in deployment; it receives its {@link Party} and returns its output.
 *
 * <p>{@link #run} uses a fresh session (channels and dealer) per call. A {@link Session} keeps
 * them across calls, so that state prepared in one run (a model's {@link FixedWeight}s, whose
 * masks live in the session's dealer streams) serves later runs, each with its own cost report.
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

    /** Both parties' outputs and the cost of the run. */
    public record Result<T>(T party0, T party1, CostReport cost, long dealerBytes, long dealerNanos) {
    }

    private final FixedPoint fixedPoint;
    private final Duration timeout;

    public TwoPartyRuntime() {
        this(FixedPoint.standard(), Duration.ofMinutes(10));
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

    /** Two parties, their channel and their dealer, kept across runs. Runs are sequential. */
    public final class Session implements AutoCloseable {
        private final Dealer dealer = new Dealer();
        private final InMemoryChannel[] ch = InMemoryChannel.pair(timeout);
        private final Party[] parties = new Party[2];
        private boolean seedsCounted;
        private boolean broken;

        private Session() {
            parties[0] = new Party(ch[0], new SeededRandomness(0, dealer.seedFor(0), dealer.persistentSeedFor(0), null, ch[0].meter()), fixedPoint);
            parties[1] = new Party(ch[1], new SeededRandomness(1, dealer.seedFor(1), dealer.persistentSeedFor(1), dealer, ch[1].meter()), fixedPoint);
        }

        /** Runs {@code program} as both parties; the cost report covers this run only. */
        public <T> Result<T> run(Program<T> program) {
            return run(program, program);
        }

        public synchronized <T> Result<T> run(Program<T> program0, Program<T> program1) {
            if (broken) {
                throw new IllegalStateException("this session failed earlier and cannot run again");
            }
            long dealerBytes0 = seedsCounted ? dealer.bytesSent() : 0;
            long dealerNanos0 = dealer.nanos();
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
            CompletableFuture<T> f0 = start(program0, parties[0], firstFailure);
            CompletableFuture<T> f1 = start(program1, parties[1], firstFailure);
            T out0 = await(f0, 0, firstFailure);
            T out1 = await(f1, 1, firstFailure);
            if (firstFailure.get() != null) {
                broken = true;
                throw new TwoPartyException("two-party computation failed: " + firstFailure.get().getMessage(),
                        firstFailure.get());
            }
            CostReport report = CostReport.combine(ch[0].meter().snapshot(), ch[1].meter().snapshot());
            return new Result<>(out0, out1, report, dealer.bytesSent() - dealerBytes0, dealer.nanos() - dealerNanos0);
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
