package dev.secformer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TwoPartyRuntimeTest {
    private final TwoPartyRuntime runtime = new TwoPartyRuntime(FixedPoint.standard(), Duration.ofSeconds(5));

    @Test
    void aPartyThatThrowsAbortsBothWithItsCause() {
        TwoPartyException e = assertTimeoutPreemptively(Duration.ofSeconds(3), () -> assertThrows(TwoPartyException.class,
                () -> runtime.run(p -> {
                    if (p.id() == 0) {
                        throw new IllegalStateException("party 0 broke");
                    }
                    return p.channel().receive(); // would wait for a message that never comes
                })));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertTrue(e.getMessage().contains("party 0 broke"), e.getMessage());
    }

    @Test
    void aProtocolErrorInOnePartyDoesNotHangTheOther() {
        TwoPartyException e = assertTimeoutPreemptively(Duration.ofSeconds(3), () -> assertThrows(TwoPartyException.class,
                () -> runtime.run(p -> {
                    SharedTensor x = p.sharePublic(RingTensor.zeros(p.id() == 0 ? 3 : 4, 2));
                    return Beaver.mul(p, x, x.reshape(p.id() == 0 ? new int[] {2, 3} : new int[] {2, 4}));
                })));
        assertTrue(e.getCause().getMessage().contains("differ"), e.getCause().getMessage());
    }

    @Test
    void aSilentPeerTimesOutInsteadOfHanging() {
        TwoPartyRuntime quick = new TwoPartyRuntime(FixedPoint.standard(), Duration.ofMillis(200));
        TwoPartyException e = assertTimeoutPreemptively(Duration.ofSeconds(3), () -> assertThrows(TwoPartyException.class,
                () -> quick.run(p -> p.id() == 0 ? p.channel().receive() : new byte[0])));
        assertInstanceOf(ChannelException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("no message from the peer"), e.getCause().getMessage());
    }

    @Test
    void mismatchedMessageLengthsAreReported() {
        TwoPartyException e = assertThrows(TwoPartyException.class, () -> runtime.run(p -> {
            SharedTensor x = p.sharePublic(RingTensor.zeros(p.id() == 0 ? 3 : 4));
            return Open.open(p, x);
        }));
        assertTrue(e.getCause().getMessage().contains("malformed payload"), e.getCause().getMessage());
    }

    @Test
    void rejectsAWrongPartyId() {
        assertThrows(IllegalArgumentException.class, () -> new SharedTensor(2, RingTensor.zeros(1)));
        assertThrows(IllegalArgumentException.class, () -> new SeededRandomness(2, Prg.freshSeed(), Prg.freshSeed(), null, new CostMeter()));
        assertThrows(IllegalArgumentException.class, () -> new SeededRandomness(0, Prg.freshSeed(), Prg.freshSeed(), new Dealer(), new CostMeter()));
        SharedTensor a = new SharedTensor(0, RingTensor.zeros(2));
        SharedTensor b = new SharedTensor(1, RingTensor.zeros(2));
        assertThrows(IllegalArgumentException.class, () -> a.add(b));
    }

    @Test
    void inputSharingAndOpeningToOneParty() {
        RingTensor secret = RingTensor.of(new long[] {1, -2, 3, Long.MIN_VALUE}, 2, 2);
        var r = runtime.run(p -> {
            SharedTensor s = Sharing.input(p, 1, p.id() == 1 ? secret : null, 2, 2);
            return Open.openTo(p, 0, s);
        });
        assertEquals(secret, r.party0());
        assertEquals(null, r.party1());
        assertEquals(2, r.cost().total().rounds());
        assertEquals(2L * 8 * 4, r.cost().total().onlineBytes());
    }

    @Test
    void aLargeOpeningIsSplitIntoChunksButStaysOneRound() {
        long[] v = new java.util.SplittableRandom(4).longs(2500).toArray();
        RingTensor[] s = Sharing.split(RingTensor.of(v, 2500), Prg.fresh());
        var r = runtime.run(p -> {
            long[] theirs = Open.exchangeChunked(p, s[p.id()].data(), 64, 1000);
            return s[p.id()].add(RingTensor.of(theirs, 2500));
        });
        assertEquals(RingTensor.of(v, 2500), r.party0());
        assertEquals(RingTensor.of(v, 2500), r.party1());
        assertEquals(1, r.cost().total().rounds());
        assertEquals(2L * 8 * 2500, r.cost().total().onlineBytes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Wire.pack(new long[1], 0, 300_000_000, 64));
        assertTrue(e.getMessage().contains("more than one payload holds"), e.getMessage());
    }
}
