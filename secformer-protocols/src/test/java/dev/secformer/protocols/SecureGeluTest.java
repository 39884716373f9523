package dev.secformer.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secformer.core.AbstractChannel;
import dev.secformer.core.ChiSquare;
import dev.secformer.core.Prg;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Sharing;
import dev.secformer.core.TwoPartyRuntime;
import dev.secformer.core.Wire;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SecureGeluTest {
    private final SecureGelu gelu = new SecureGelu();

    /** erf by Simpson's rule on 2/sqrt(pi) exp(-t^2): an oracle independent of the code under test. */
    static double erf(double x) {
        int n = 2000;
        double h = x / n;
        double s = 1 + Math.exp(-x * x);
        for (int i = 1; i < n; i++) {
            s += (i % 2 == 1 ? 4 : 2) * Math.exp(-(i * h) * (i * h));
        }
        return 2 / Math.sqrt(Math.PI) * s * h / 3;
    }

    static double exactGelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    private static double maxError(double[] x, double[] got) {
        double max = 0;
        for (int i = 0; i < x.length; i++) {
            max = Math.max(max, Math.abs(got[i] - exactGelu(Mpc.quantized(x[i]))));
        }
        return max;
    }

    @Test
    void denseGridAndBreakpointsWithinTarget() {
        double b = SecureGelu.DEFAULT_BREAKPOINT;
        double ulp = Math.scalb(1.0, -16);
        double[] x = Mpc.concat(Mpc.linspace(-8, 8, 4001),
                new double[] {0, ulp, -ulp, b, -b, b - ulp, -b - ulp, b + ulp, -b + ulp});
        Mpc.Run r = Mpc.run(x, new int[] {x.length}, gelu::apply);
        double err = maxError(x, r.output());
        assertTrue(err <= 2e-3, "max |error| on [-8, 8] = " + err + " (documented: about 2e-3)");
        // The secure breakpoint is B rounded to 16 fractional bits, so exactly at +-B the two may pick
        // neighbouring segments, whose values differ by 0.5 B |1 - f(B)| (about 2e-3).
        for (int i = 0; i < x.length; i++) {
            assertEquals(gelu.reference(Mpc.quantized(x[i])), r.output()[i], 3e-3, "secure vs reference at " + x[i]);
        }
    }

    /**
     * A linear layer's raw output (2f fractional bits, low bits set): the same accuracy, one round and
     * 16 online bytes per element fewer than a truncation first.
     */
    @Test
    void untruncatedInputCostsNoRoundAndNoTruncationBytes() {
        SplittableRandom rnd = new SplittableRandom(21);
        int n = 6000;
        long[] raw = new long[n];
        for (int i = 0; i < n; i++) {
            double x = i <= 4000 ? -8 + 16.0 * i / 4000 + rnd.nextDouble() * Math.scalb(1.0, -16) : (2 * rnd.nextDouble() - 1) * 100;
            raw[i] = Math.round(Math.scalb(x, 32));
        }
        RingTensor in = RingTensor.of(raw, n);
        Mpc.Run r = Mpc.run(new RingTensor[] {in}, (p, s) -> gelu.applyUntruncated(p, s[0], 16));
        double worst = 0;
        for (int i = 0; i < n; i++) {
            worst = Math.max(worst, Math.abs(r.output()[i] - exactGelu(Math.scalb((double) raw[i], -32))));
        }
        assertTrue(worst <= 2e-3, "max |error| = " + worst + " (documented: about 2e-3)");
        Mpc.Run first = Mpc.run(new RingTensor[] {in}, (p, s) -> gelu.apply(p, dev.secformer.core.Truncation.truncate(p, s[0], 16)));
        assertEquals(first.cost().total().rounds() - 1, r.cost().total().rounds());
        assertEquals(first.cost().total().onlineBytes() - 16L * n, r.cost().total().onlineBytes());
    }

    @Test
    void wideRangeOuterSegmentsAreZeroWithinOneUnit() {
        SplittableRandom rnd = new SplittableRandom(17);
        double[] x = new double[4000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (rnd.nextDouble() * 2 - 1) * 100;
        }
        x[0] = 100;
        x[1] = -100;
        Mpc.Run r = Mpc.run(x, new int[] {40, 100}, gelu::apply);
        assertTrue(maxError(x, r.output()) <= 2e-3, "max |error| on [-100, 100] = " + maxError(x, r.output()));
        // below -B: x - g + (g - x), the two selected values truncated separately on the way in (one unit each way)
        for (int i = 0; i < x.length; i++) {
            if (x[i] < -4) {
                assertEquals(0, r.output()[i], Math.scalb(1.0, -16), "x = " + x[i]);
            }
        }
    }

    @Test
    void bertLikeActivations() {
        SplittableRandom rnd = new SplittableRandom(18);
        double[] x = new double[8 * 3072];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGaussian() * 1.5 - 0.5;
        }
        Mpc.Run r = Mpc.run(x, new int[] {8, 3072}, gelu::apply);
        assertTrue(maxError(x, r.output()) <= 2e-3, "max |error| = " + maxError(x, r.output()));
    }

    @Test
    void costMatchesTheFormula() {
        int n = 800;
        Mpc.Run r = Mpc.run(new double[n], new int[] {n}, gelu::apply);
        DigitComparison cmp = new DigitComparison();
        assertEquals(cmp.rounds(), r.cost().total().rounds(),
                "the sine, the product and every truncation ride in the comparison's rounds");
        // the two comparisons (with -B and B) share one mask: one opening of x + r per element
        long expected = cmp.onlineBytes(2L * n, 1, 2) + 2 * Wire.packedBytes(n, 20) + 32L * n;
        assertEquals(expected, r.cost().total().onlineBytes());
        assertEquals(84.5 * n, expected, 0.5, "the documented 84.5 bytes per element");
        long dealer = DigitComparison.dealerBytes(2L * n, 32, 1, 17, 2) + 7 * 16L * n + 32L * n;
        assertEquals(dealer, r.cost().total().dealerBytes() - r.cost().byPath().get("setup").dealerBytes());
        assertEquals(340 * n, dealer, 1.0, "the documented 340 dealer bytes per element");
    }

    /** Party 0's reconstruction of the sine's opened delta (the second payload of the first round). */
    private static long[] openedDeltas(double[] x) {
        return openedDeltas(Mpc.FP.encode(x, x.length), 0);
    }

    /** Party 0's view of the sine's opening (20 bits) for inputs at 16 + {@code bits} fractional bits. */
    private static long[] openedDeltas(RingTensor x, int bits) {
        RingTensor[] s = Sharing.split(x, Prg.fresh());
        var r = new TwoPartyRuntime().run(p -> {
            AbstractChannel ch = (AbstractChannel) p.channel();
            ch.recordTranscript(true);
            new SecureGelu().applyUntruncated(p, new SharedTensor(p.id(), s[p.id()]), bits);
            return ch.transcript().get(1);
        });
        long[] a = Wire.unpack(r.party0().sent(), x.size(), 20);
        long[] b = Wire.unpack(r.party0().received(), x.size(), 20);
        long[] d = new long[x.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (a[i] + b[i]) & ((1 << 20) - 1);
        }
        return d;
    }

    @Test
    void sineOpeningIsUniformAndFresh() {
        int n = 60_000;
        double[] zeros = new double[n];
        double[] large = new double[n];
        Arrays.fill(large, 7.25);
        for (double[] x : new double[][] {zeros, large}) {
            long[] d = openedDeltas(x);
            assertTrue(ChiSquare.of(d, 0, 8) < 380, "low bits: " + ChiSquare.of(d, 0, 8));
            assertTrue(ChiSquare.of(d, 12, 8) < 380, "high bits: " + ChiSquare.of(d, 12, 8));
        }
        long[] first = openedDeltas(new double[1000]);
        long[] second = openedDeltas(new double[1000]);
        int same = 0;
        for (int i = 0; i < first.length; i++) {
            same += first[i] == second[i] ? 1 : 0;
        }
        assertTrue(same < 5, same + " of 1000 deltas repeated");
    }

    /** The sine's opening of a raw input, read from bit 16 of each masked share: uniform whatever the input. */
    @Test
    void sineOpeningOfARawInputIsUniform() {
        int n = 60_000;
        long[] raw = new long[n];
        Arrays.fill(raw, Math.round(Math.scalb(7.25, 32)) + 12345);
        long[] d = openedDeltas(RingTensor.of(raw, n), 16);
        assertTrue(ChiSquare.of(d, 0, 8) < 380, "low bits: " + ChiSquare.of(d, 0, 8));
        assertTrue(ChiSquare.of(d, 12, 8) < 380, "high bits: " + ChiSquare.of(d, 12, 8));
    }

    @Test
    void tanhForThePooler() {
        SecureTanh tanh = new SecureTanh();
        double[] x = Mpc.concat(Mpc.linspace(-10, 10, 2001), new double[] {-50, 50});
        Mpc.Run r = Mpc.run(x, new int[] {x.length}, tanh::apply);
        double err = 0;
        for (int i = 0; i < x.length; i++) {
            err = Math.max(err, Math.abs(r.output()[i] - Math.tanh(Mpc.quantized(x[i]))));
        }
        assertTrue(err <= 0.005, "max |tanh error| = " + err);
    }

    @Test
    void checkModeAndBadBreakpoints() {
        Mpc.withRangeCheck(() -> {
            Exception e = assertThrows(Exception.class, () -> Mpc.run(new double[] {1, 40000}, new int[] {2}, gelu::apply));
            assertTrue(e.getCause().getMessage().contains("SecureGelu: input element 1"), e.getCause().getMessage());
        });
        assertThrows(IllegalArgumentException.class, () -> new SecureGelu(0, new DigitComparison()));
        assertThrows(IllegalArgumentException.class, () -> new SecureGelu(9, new DigitComparison()));
    }
}
