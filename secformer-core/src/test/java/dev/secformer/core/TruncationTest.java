package dev.secformer.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Local (SecureML) truncation: off by at most one, and wrong with the documented probability. */
class TruncationTest {
    @Test
    void failureRateMatchesTheDocumentedBound() {
        int l = 54;
        int n = 1_000_000;
        SplittableRandom rnd = new SplittableRandom(5);
        RingTensor x = RingTensor.zeros(n);
        long[] d = x.data();
        double sumAbs = 0;
        for (int i = 0; i < n; i++) {
            d[i] = rnd.nextLong() >> (64 - l - 1); // uniform in [-2^l, 2^l)
            sumAbs += Math.abs((double) d[i]);
        }
        RingTensor[] s = Sharing.split(x, Prg.fresh());
        RingTensor t = new SharedTensor(0, s[0]).truncate(16).share().add(new SharedTensor(1, s[1]).truncate(16).share());
        long failures = 0;
        for (int i = 0; i < n; i++) {
            long diff = t.data()[i] - (d[i] >> 16);
            if (diff < -1 || diff > 1) {
                failures++;
            }
        }
        // For a given x the wrap happens with probability |x| / 2^64, so the expected count is sum|x| / 2^64.
        double expected = sumAbs / Math.scalb(1.0, 64);
        double bound = n * Math.scalb(1.0, l + 1 - 64);
        assertTrue(failures <= bound, failures + " failures exceed the documented bound " + bound);
        assertTrue(Math.abs(failures - expected) < 5 * Math.sqrt(expected),
                failures + " failures, expected about " + expected);
    }

    @Test
    void boundedValuesTruncateWithinOneUlp() {
        SplittableRandom rnd = new SplittableRandom(6);
        Prg prg = Prg.fresh();
        for (int i = 0; i < 100_000; i++) {
            long v = rnd.nextLong() >> 30;
            RingTensor[] s = Sharing.split(RingTensor.of(new long[] {v}, 1), prg);
            long t = new SharedTensor(0, s[0]).truncate(16).share().data()[0]
                    + new SharedTensor(1, s[1]).truncate(16).share().data()[0];
            long diff = t - (v >> 16);
            assertTrue(diff >= 0 && diff <= 1, "value " + v + " truncated to " + t);
        }
    }
}
