package dev.secformer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The background offline phase: bounded, ordered, each run handed out once. */
class PreparationPoolTest {
    private static final CorrelationPlan PLAN = CorrelationPlan.ofRecipes(List.of(Correlations.triple(4), Correlations.square(3)));

    private static final int WINDOW = 8;

    /** Prepared runs, as the source saw them: "key/instance/run". */
    private final List<String> prepared = new CopyOnWriteArrayList<>();

    private PreparedRandomness prepare(String key, CorrelationPlan plan, long instance, long run) throws InterruptedException {
        prepared.add(key + "/" + instance + "/" + run);
        byte[] seed = plan.runSeed(Prg.freshSeed(), instance, run);
        return PreparedRandomness.prepare(plan, new SeededRandomness(0, seed, Prg.freshSeed(), null, new CostMeter()), 0);
    }

    private PreparationPool pool(int depth, Duration timeout) {
        return new PreparationPool(depth, 2, WINDOW, this::prepare, timeout, "test-offline");
    }

    @Test
    void keepsDepthRunsPreparedAndHandsThemOutInOrderOnce() throws Exception {
        try (PreparationPool pool = pool(2, Duration.ofSeconds(5))) {
            pool.add("a", PLAN, 7);
            assertTrue(pool.awaitFull(Duration.ofSeconds(5)));
            Thread.sleep(50);
            assertEquals(List.of("a/7/0", "a/7/1"), prepared, "no more than the depth ahead");
            for (int i = 0; i < 4; i++) {
                PreparationPool.Run r = pool.takeNext("a");
                assertEquals(i, r.number());
                assertEquals(7, r.instance());
                assertEquals(PLAN, r.randomness().plan());
            }
            assertTrue(pool.awaitFull(Duration.ofSeconds(5)));
            assertEquals(6, prepared.size());
        }
    }

    @Test
    void preparingWaitsWhileAComputationRunsUnlessARequestWaitsForIt() throws Exception {
        try (PreparationPool pool = pool(1, Duration.ofSeconds(5))) {
            pool.add("a", PLAN, 1);
            assertTrue(pool.awaitFull(Duration.ofSeconds(5)));
            try (AutoCloseable online = pool.computing()) {
                assertEquals(0, pool.takeNext("a").number());
                Thread.sleep(200);
                assertEquals(1, prepared.size(), "no refill while the computation runs");
                assertEquals(1, pool.takeNext("a").number(), "a waiting request is served at once");
            }
            assertTrue(pool.awaitFull(Duration.ofSeconds(5)));
            assertEquals(3, prepared.size(), "the refill happens once the computation is over");
        }
    }

    @Test
    void partyOneTakesRunsOutOfOrderEachOnceAndDropsSkippedOnes() throws Exception {
        try (PreparationPool pool = pool(1, Duration.ofSeconds(5))) {
            pool.add("a", PLAN, 1);
            assertEquals(2, pool.take("a", 2).number(), "concurrent sessions arrive out of order");
            assertEquals(1, pool.take("a", 1).number());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.take("a", 2));
            assertTrue(e.getMessage().contains("was used"), e.getMessage());
            long far = 3 + WINDOW + 5;
            assertEquals(far, pool.take("a", far).number(), "party 0 skipped many: they are not all prepared");
            assertTrue(!prepared.contains("a/1/5") && !prepared.contains("a/1/6"), "skipped, not prepared: " + prepared);
            assertThrows(IllegalStateException.class, () -> pool.take("a", 0), "run 0, never taken, is dropped");
        }
    }

    @Test
    void aFailedPreparationFailsItsTakerAndTheNextRunServes() throws Exception {
        CountDownLatch failedOnce = new CountDownLatch(1);
        PreparationPool.Source flaky = (key, plan, instance, run) -> {
            if (run == 0) {
                failedOnce.countDown();
                throw new IllegalStateException("dealer gone");
            }
            return prepare(key, plan, instance, run);
        };
        try (PreparationPool pool = new PreparationPool(1, 2, WINDOW, flaky, Duration.ofSeconds(5), "test-offline")) {
            pool.add("a", PLAN, 1);
            failedOnce.await();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.take("a", 0));
            assertTrue(e.getMessage().contains("dealer gone"), e.getMessage());
            assertEquals(1, pool.take("a", 1).number());
        }
    }

    @Test
    void aTakerWaitsAtMostTheTimeoutAndClosingReleasesIt() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        PreparationPool.Source stuck = (key, plan, instance, run) -> {
            never.await();
            return null;
        };
        try (PreparationPool pool = new PreparationPool(1, 2, WINDOW, stuck, Duration.ofMillis(200), "test-offline")) {
            pool.add("a", PLAN, 1);
            IllegalStateException e = assertTimeoutPreemptively(Duration.ofSeconds(3),
                    () -> assertThrows(IllegalStateException.class, () -> pool.takeNext("a")));
            assertTrue(e.getMessage().contains("not prepared within"), e.getMessage());
        }
        PreparationPool pool = new PreparationPool(1, 2, WINDOW, stuck, Duration.ofSeconds(30), "test-offline");
        pool.add("a", PLAN, 1);
        Thread closer = new Thread(() -> {
            sleep(100);
            pool.close();
        });
        closer.start();
        IllegalStateException e = assertTimeoutPreemptively(Duration.ofSeconds(3),
                () -> assertThrows(IllegalStateException.class, () -> pool.takeNext("a")));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void keepsAtMostMaxPlansAndANewInstanceStartsAfresh() throws Exception {
        try (PreparationPool pool = pool(1, Duration.ofSeconds(5))) {
            pool.add("a", PLAN, 1);
            pool.add("b", PLAN, 1);
            pool.add("c", PLAN, 1);
            assertNull(pool.plan("a"), "the least recently used plan is forgotten");
            pool.add("b", PLAN, 2);
            PreparationPool.Run r = pool.takeNext("b");
            assertEquals(2, r.instance());
            assertEquals(0, r.number());
            new Thread(() -> {
                sleep(100);
                pool.add("d", PLAN, 5);
            }).start();
            assertEquals(PLAN, pool.awaitPlan("d", 5), "party 1 waits for a plan its own session is still recording");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
