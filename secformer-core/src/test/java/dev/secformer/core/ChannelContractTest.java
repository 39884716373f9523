package dev.secformer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Channel} must do, run against each transport (in memory, Netty): carry
 * payloads of any size intact, count bytes and rounds identically, refuse a message of another
 * step, and fail (never hang) when the peer closes or goes silent.
 */
public abstract class ChannelContractTest {
    /** A connected pair for party 0 and party 1 whose receives time out after {@code timeout}. */
    protected abstract Channel[] pair(Duration timeout);

    /** Runs {@code program} as both parties on their own threads; returns both results or the first failure. */
    protected static <T> Object[] both(Channel[] ch, Function<Channel, T> program) throws Exception {
        CompletableFuture<T> f0 = CompletableFuture.supplyAsync(() -> program.apply(ch[0]));
        CompletableFuture<T> f1 = CompletableFuture.supplyAsync(() -> program.apply(ch[1]));
        try {
            return new Object[] {f0.get(30, TimeUnit.SECONDS), f1.get(30, TimeUnit.SECONDS)};
        } finally {
            ch[0].close();
            ch[1].close();
        }
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void exchangesCarryPayloadsOfEverySizeIntactAndCountOneRoundEach() throws Exception {
        int[] sizes = {0, 1, 1000, 3_000_001};
        Object[] got = both(pair(Duration.ofSeconds(20)), c -> {
            byte[][] in = new byte[sizes.length][];
            for (int i = 0; i < sizes.length; i++) {
                in[i] = c.exchange(bytes(sizes[i], 10 * c.partyId() + i));
            }
            assertEquals(sizes.length, c.meter().total().rounds());
            long total = java.util.Arrays.stream(sizes).asLongStream().sum();
            assertEquals(total, c.meter().total().bytesSent());
            assertEquals(total, c.meter().total().bytesReceived());
            return in;
        });
        for (int p = 0; p < 2; p++) {
            byte[][] in = (byte[][]) got[p];
            for (int i = 0; i < sizes.length; i++) {
                assertArrayEquals(bytes(sizes[i], 10 * (1 - p) + i), in[i], "party " + p + ", payload " + i);
            }
        }
    }

    @Test
    void severalPayloadsOfOneStepAreOneRound() throws Exception {
        Object[] got = both(pair(Duration.ofSeconds(20)), c -> {
            byte[][] in = c.exchange(new byte[][] {bytes(5, c.partyId()), bytes(2_000_000, 2 + c.partyId())});
            assertEquals(1, c.meter().total().rounds());
            return in;
        });
        byte[][] in0 = (byte[][]) got[0];
        assertArrayEquals(bytes(5, 1), in0[0]);
        assertArrayEquals(bytes(2_000_000, 3), in0[1]);
    }

    @Test
    void oneWayMessagesCountARoundForTheirSenderAndReceiver() throws Exception {
        Object[] got = both(pair(Duration.ofSeconds(20)), c -> {
            try (var ph = c.meter().phase("reveal")) {
                if (c.partyId() == 0) {
                    c.send(bytes(100, 7));
                    c.send(bytes(10, 8));
                    return null;
                }
                return new byte[][] {c.receive(), c.receive()};
            }
        });
        byte[][] in = (byte[][]) got[1];
        assertArrayEquals(bytes(100, 7), in[0]);
        assertArrayEquals(bytes(10, 8), in[1]);
    }

    @Test
    void aMessageOfAnotherStepIsRefused() {
        Channel[] ch = pair(Duration.ofSeconds(20));
        ExecutionException e = assertThrows(ExecutionException.class, () -> both(ch, c -> {
            try (var ph = c.meter().phase(c.partyId() == 0 ? "softmax" : "gelu")) {
                return c.exchange(new byte[8]);
            }
        }));
        assertInstanceOf(ChannelException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("\"gelu\"") && e.getCause().getMessage().contains("\"softmax\""),
                e.getCause().getMessage());
    }

    @Test
    void closingWakesAPeerWaitingToReceive() {
        Channel[] ch = pair(Duration.ofSeconds(60));
        CompletableFuture<byte[]> waiting = CompletableFuture.supplyAsync(ch[1]::receive);
        ch[0].close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
        assertInstanceOf(ChannelException.class, e.getCause());
        ch[1].close();
    }

    @Test
    void aSilentPeerTimesOut() {
        Channel[] ch = pair(Duration.ofMillis(300));
        long start = System.nanoTime();
        assertThrows(ChannelException.class, ch[0]::receive);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        ch[0].close();
        ch[1].close();
    }

    @Test
    void aBeaverProductOverTheChannelIsCorrect() throws Exception {
        Dealer dealer = new Dealer();
        Channel[] ch = pair(Duration.ofSeconds(20));
        RingTensor x = TestTensors.random(new SplittableRandom(1), 3, 4);
        RingTensor y = TestTensors.random(new SplittableRandom(2), 4, 5);
        RingTensor[][] sx = {Sharing.split(x, Prg.fresh()), Sharing.split(y, Prg.fresh())};
        Object[] z = both(ch, c -> {
            int id = c.partyId();
            Party p = new Party(c, new SeededRandomness(id, dealer.seedFor(id), dealer.persistentSeedFor(id),
                    id == 1 ? dealer : null, c.meter()), FixedPoint.standard());
            ProductBatch batch = new ProductBatch(p);
            int xy = batch.matmul(new SharedTensor(id, sx[0][id]), new SharedTensor(id, sx[1][id]), false, false);
            return batch.run()[xy].share();
        });
        assertEquals(x.matmul(y), ((RingTensor) z[0]).add((RingTensor) z[1]));
    }
}
