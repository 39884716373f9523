package dev.secformer.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The in-process simulator: runs one program as party 0 and party 1 on two threads, connected by
 * an {@link InMemoryChannel}, with a {@link Dealer} on party 1's link. The program is the same
 * code a party runs in deployment; it receives its {@link Party} and returns its output.
 *
 * <p>If either party throws, both channels are closed so that the other fails promptly, and
 * {@link #run} throws a {@link TwoPartyException} whose cause is the first failure. Every wait is
 * bounded by the runtime's timeout: a computation never hangs.
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

    /** Runs {@code program} as both parties with a fresh dealer. */
    public <T> Result<T> run(Program<T> program) {
        return run(program, program);
    }

    /** Runs {@code program0} as party 0 and {@code program1} as party 1. */
    public <T> Result<T> run(Program<T> program0, Program<T> program1) {
        Dealer dealer = new Dealer();
        InMemoryChannel[] ch = InMemoryChannel.pair(timeout);
        Party p0 = new Party(ch[0], new SeededRandomness(0, dealer.seedFor(0), null, ch[0].meter()), fixedPoint);
        Party p1 = new Party(ch[1], new SeededRandomness(1, dealer.seedFor(1), dealer, ch[1].meter()), fixedPoint);
        for (InMemoryChannel c : ch) {
            try (var setup = c.meter().phase("setup")) {
                c.meter().recordDealerBytes(Prg.SEED_BYTES);
            }
        }

        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        CompletableFuture<T> f0 = start(program0, p0, ch, firstFailure);
        CompletableFuture<T> f1 = start(program1, p1, ch, firstFailure);
        T out0 = await(f0, 0, ch, firstFailure);
        T out1 = await(f1, 1, ch, firstFailure);
        if (firstFailure.get() != null) {
            throw new TwoPartyException("two-party computation failed: " + firstFailure.get().getMessage(), firstFailure.get());
        }
        CostReport report = CostReport.combine(ch[0].meter().snapshot(), ch[1].meter().snapshot());
        return new Result<>(out0, out1, report, dealer.bytesSent(), dealer.nanos());
    }

    private <T> CompletableFuture<T> start(Program<T> program, Party party, InMemoryChannel[] ch,
                                           AtomicReference<Throwable> firstFailure) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(program.run(party));
            } catch (Throwable e) {
                firstFailure.compareAndSet(null, e);
                ch[0].close();
                ch[1].close();
                f.completeExceptionally(e);
            }
        }, "secformer-party-" + party.id());
        t.setDaemon(true);
        t.start();
        return f;
    }

    private <T> T await(CompletableFuture<T> f, int id, InMemoryChannel[] ch, AtomicReference<Throwable> firstFailure) {
        try {
            return f.get(timeout.toNanos() * 2, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            return null; // recorded in firstFailure
        } catch (TimeoutException e) {
            firstFailure.compareAndSet(null, new TimeoutException("party " + id + " did not finish within " + timeout.multipliedBy(2)));
            ch[0].close();
            ch[1].close();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            firstFailure.compareAndSet(null, e);
            return null;
        }
    }
}
