package dev.secformer.protocols;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.secformer.core.AbstractChannel;
import dev.secformer.core.ChiSquare;
import dev.secformer.core.Correlation;
import dev.secformer.core.CorrelationRegistry;
import dev.secformer.core.CostReport;
import dev.secformer.core.Prg;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Sharing;
import dev.secformer.core.TwoPartyRuntime;
import dev.secformer.core.Wire;

class BroadcastProductTest {
    private static long[] random(Random rnd, int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextLong();
        }
        return v;
    }

    @Test
    void rowAndColumnBroadcastsAreExactRingProductsInOneRound() {
        Random rnd = new Random(4);
        int rows = 6;
        int cols = 5;
        long[] x = random(rnd, rows * cols);
        long[] perRow = random(rnd, rows);
        long[] perCol = random(rnd, cols);
        Mpc.Run run = Mpc.run(new RingTensor[] {RingTensor.of(x, 2, 3, cols), RingTensor.of(perRow, 2, 3), RingTensor.of(perCol, cols)},
                (p, s) -> {
                    ProductBatch b = new ProductBatch(p);
                    int i = BroadcastProduct.rowBroadcast(b, p, s[0], s[1]);
                    int j = BroadcastProduct.columnBroadcast(b, p, s[0], s[2]);
                    var out = b.run();
                    return SharedTensor.concat(0, out[i], out[j]);
                });
        long[] got = run.raw().data();
        for (int i = 0; i < rows * cols; i++) {
            assertEquals(x[i] * perRow[i / cols], got[i], "row broadcast " + i);
            assertEquals(x[i] * perCol[i % cols], got[rows * cols + i], "column broadcast " + i);
        }
        CostReport.Entry c = run.cost().total();
        assertEquals(1, c.rounds());
        assertEquals(2 * 8L * ((rows * cols + rows) + (rows * cols + cols)), c.onlineBytes());
    }

    @Test
    void severalRowOperandsShareOneOpeningOfX() {
        Random rnd = new Random(6);
        int rows = 4;
        int cols = 7;
        long[] x = random(rnd, rows * cols);
        long[] y1 = random(rnd, rows);
        long[] y2 = random(rnd, rows);
        Mpc.Run run = Mpc.run(new RingTensor[] {RingTensor.of(x, rows, cols), RingTensor.of(y1, rows), RingTensor.of(y2, rows)},
                (p, s) -> {
                    ProductBatch b = new ProductBatch(p);
                    int i = BroadcastProduct.rowBroadcastEach(b, p, s[0], s[1], s[2]);
                    return b.run()[i];
                });
        assertArrayEquals(new int[] {2, rows, cols}, run.raw().shape());
        long[] got = run.raw().data();
        for (int i = 0; i < rows * cols; i++) {
            assertEquals(x[i] * y1[i / cols], got[i], "first operand " + i);
            assertEquals(x[i] * y2[i / cols], got[rows * cols + i], "second operand " + i);
        }
        CostReport.Entry c = run.cost().total();
        assertEquals(1, c.rounds());
        assertEquals(2 * 8L * (rows * cols + 2 * rows), c.onlineBytes());
        assertEquals(8L * 2 * rows * cols, c.dealerBytes() - 4 * Prg.SEED_BYTES);
    }

    @Test
    void registryRebuildsTheTriple() {
        Correlation c = CorrelationRegistry.create(BroadcastProduct.KIND, new long[] {3, 4, 0, 1});
        assertArrayEquals(BroadcastProduct.triple(3, 4, false, 1).parameters(), c.parameters());
        long[][] d = c.derive(new long[][] {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {10, 20, 30, 40}});
        assertArrayEquals(new long[] {10, 40, 90, 160, 50, 120, 210, 320, 90, 200, 330, 480}, d[0]);
        assertThrows(IllegalArgumentException.class, () -> CorrelationRegistry.create(BroadcastProduct.KIND, new long[] {3, 4, 2, 1}));
        assertEquals(2, CorrelationRegistry.create(BroadcastProduct.KIND, new long[] {3, 4, 1, 2}).derivedParts().size());
    }

    /** The openings of a row-broadcast product (x - a per element, y - b per row) are uniform for constant inputs. */
    @Test
    void openingsAreUniformWhateverTheInputs() {
        int rows = 4_000;
        int cols = 10;
        RingTensor x = RingTensor.filled(5L << 16, rows, cols);
        RingTensor y = RingTensor.filled(-2L << 16, rows);
        RingTensor[] xs = Sharing.split(x, Prg.fresh());
        RingTensor[] ys = Sharing.split(y, Prg.fresh());
        var r = new TwoPartyRuntime().run(p -> {
            AbstractChannel ch = (AbstractChannel) p.channel();
            ch.recordTranscript(true);
            ProductBatch b = new ProductBatch(p);
            BroadcastProduct.rowBroadcast(b, p, new SharedTensor(p.id(), xs[p.id()]), new SharedTensor(p.id(), ys[p.id()]));
            b.run();
            return ch.transcript().get(0);
        });
        int total = rows * cols + rows;
        long[] opened = Wire.unpack(r.party0().sent(), total, 64);
        long[] theirs = Wire.unpack(r.party0().received(), total, 64);
        for (int i = 0; i < total; i++) {
            opened[i] += theirs[i];
        }
        assertTrue(ChiSquare.of(opened, 0, 8) < 380
                && ChiSquare.of(opened, 56, 8) < 380, "openings not uniform");
    }
}
