package dev.secformer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RingTensorTest {
    private final SplittableRandom rnd = new SplittableRandom(7);

    @Test
    void elementwiseOpsWrapModulo2To64() {
        RingTensor a = RingTensor.of(new long[] {Long.MAX_VALUE, Long.MIN_VALUE, -1, 5}, 2, 2);
        RingTensor b = RingTensor.of(new long[] {1, -1, 1, 3}, 2, 2);
        assertArrayEquals(new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0, 8}, a.add(b).data());
        assertArrayEquals(new long[] {Long.MAX_VALUE - 1, Long.MIN_VALUE + 1, -2, 2}, a.sub(b).data());
        assertArrayEquals(new long[] {Long.MAX_VALUE, Long.MIN_VALUE, -1, 15}, a.mul(b).data());
        assertArrayEquals(new long[] {-Long.MAX_VALUE, Long.MIN_VALUE, 1, -5}, a.neg().data());
        assertArrayEquals(new long[] {-2, 0, -2, 10}, a.mulScalar(2).data());
    }

    @Test
    void suffixBroadcastAddsARowToEveryRow() {
        RingTensor x = RingTensor.of(new long[] {1, 2, 3, 4, 5, 6}, 2, 3);
        RingTensor bias = RingTensor.of(new long[] {10, 20, 30}, 3);
        assertArrayEquals(new long[] {11, 22, 33, 14, 25, 36}, x.add(bias).data());
        assertArrayEquals(new long[] {-9, -18, -27, -6, -15, -24}, x.sub(bias).data());
        assertArrayEquals(new long[] {10, 40, 90, 40, 100, 180}, x.mul(bias).data());
        assertArrayEquals(new long[] {11, 22, 33, 14, 25, 36}, x.add(x.sub(bias).neg().add(x)).data(), "a whole right operand");
        assertEquals(0, RingTensor.zeros(3, 0).add(RingTensor.zeros(0)).size(), "an empty period");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> x.add(RingTensor.zeros(2)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void matmulMatchesNaiveProductWithOverflow() {
        for (int[] s : new int[][] {{1, 1, 1}, {3, 5, 7}, {17, 33, 9}, {64, 64, 64}, {5, 0, 4}}) {
            RingTensor a = TestTensors.random(rnd, s[0], s[1]);
            RingTensor b = TestTensors.random(rnd, s[1], s[2]);
            assertArrayEquals(TestTensors.naiveMatmul(a.data(), b.data(), s[0], s[1], s[2]), a.matmul(b).data());
            assertEquals(a.matmul(b), a.transpose().matmul(b, true, false));
            assertEquals(a.matmul(b), a.matmul(b.transpose(), false, true));
            assertEquals(a.matmul(b), a.transpose().matmul(b.transpose(), true, true));
        }
    }

    @Test
    void batchedMatmulMultipliesEachBatchEntry() {
        RingTensor a = TestTensors.random(rnd, 3, 4, 5);
        RingTensor b = TestTensors.random(rnd, 3, 5, 6);
        RingTensor c = a.matmul(b);
        assertArrayEquals(new int[] {3, 4, 6}, c.shape());
        for (int t = 0; t < 3; t++) {
            long[] at = a.slice(0, t, t + 1).data();
            long[] bt = b.slice(0, t, t + 1).data();
            assertArrayEquals(TestTensors.naiveMatmul(at, bt, 4, 5, 6), c.slice(0, t, t + 1).data());
        }
        RingTensor w = TestTensors.random(rnd, 5, 2);
        RingTensor shared = a.matmul(w);
        assertArrayEquals(new int[] {3, 4, 2}, shared.shape());
        assertArrayEquals(TestTensors.naiveMatmul(a.data(), w.data(), 12, 5, 2), shared.data());
        assertEquals(c, a.matmul(b.transpose(), false, true));
    }

    @Test
    void matmulRejectsMismatchedShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RingTensor.zeros(2, 3).matmul(RingTensor.zeros(4, 2)));
        assertTrue(e.getMessage().contains("inner dimensions"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RingTensor.zeros(2, 2, 3).matmul(RingTensor.zeros(3, 3, 2)));
        assertThrows(IllegalArgumentException.class, () -> RingTensor.zeros(3).matmul(RingTensor.zeros(3, 3)));
    }

    @Test
    void shapeOperations() {
        RingTensor t = RingTensor.of(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 2, 3, 2);
        assertArrayEquals(new long[] {2, 3, 4, 5, 8, 9, 10, 11}, t.slice(1, 1, 3).data());
        assertArrayEquals(new long[] {1, 3, 5, 7, 9, 11}, t.slice(2, 1, 2).data());
        assertEquals(t, RingTensor.concat(1, t.slice(1, 0, 1), t.slice(1, 1, 3)));
        assertEquals(t, RingTensor.concat(2, t.slice(2, 0, 1), t.slice(2, 1, 2)));
        assertEquals(t, t.transpose().transpose());
        assertArrayEquals(new long[] {0, 2, 4, 1, 3, 5}, t.slice(0, 0, 1).reshape(3, 2).transpose().data());
        assertArrayEquals(new int[] {4, 3}, t.reshape(-1, 3).shape());
        assertArrayEquals(new long[] {1, 5, 9, 13, 17, 21}, t.sumLastAxis().data());
        assertArrayEquals(new int[] {2, 3}, t.sumLastAxis().shape());
        assertThrows(IllegalArgumentException.class, () -> t.reshape(5, 2));
        assertThrows(IllegalArgumentException.class, () -> t.slice(1, 2, 4));
        assertThrows(IllegalArgumentException.class, () -> RingTensor.of(new long[3], 2, 2));
        assertThrows(IllegalArgumentException.class, () -> RingTensor.zeros(-1, 2));
    }

    @Test
    void shiftRightRoundingUpIsTheNegatedShiftOfTheNegation() {
        RingTensor a = RingTensor.of(new long[] {7, 8, 9, -7, -8, -9, 0, Long.MIN_VALUE, Long.MAX_VALUE}, 9);
        assertArrayEquals(new long[] {1, 1, 2, 0, -1, -1, 0, -(Long.MIN_VALUE >> 3), (Long.MAX_VALUE >> 3) + 1},
                a.shiftRightRoundingUp(3).data());
        RingTensor r = TestTensors.random(rnd, 64, 3);
        assertEquals(r.neg().shiftRight(13).neg(), r.shiftRightRoundingUp(13));
    }

    @Test
    void operationsDoNotModifyInputs() {
        RingTensor a = TestTensors.random(rnd, 4, 4);
        RingTensor copy = a.copy();
        a.add(a);
        a.mul(a);
        a.transpose();
        a.matmul(a);
        a.shiftRight(3);
        a.shiftRightRoundingUp(3);
        assertEquals(copy, a);
    }
}
