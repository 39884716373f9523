package dev.secformer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FixedPointTest {
    @Test
    void roundTripWithinHalfAnUlp() {
        FixedPoint fp = FixedPoint.standard();
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < 10_000; i++) {
            double x = (rnd.nextDouble() * 2 - 1) * 1e6;
            assertEquals(x, fp.decode(fp.encode(x)), 0.5 / 65536 + 1e-12);
        }
        assertEquals(-1L << 16, fp.encode(-1.0));
        assertEquals(1L << 16, fp.one());
    }

    @Test
    void refusesValuesThatDoNotFit() {
        FixedPoint fp = new FixedPoint(20);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fp.encode(Math.scalb(1.0, 42)));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fp.encode(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> fp.encode(Double.NEGATIVE_INFINITY));
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class,
                () -> fp.encode(new double[] {1, 2, 1e300}, 3));
        assertTrue(t.getMessage().startsWith("element 2"), t.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FixedPoint(-1));
        assertThrows(IllegalArgumentException.class, () -> new FixedPoint(63));
    }
}
