package dev.secformer.protocols;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DigitLookupTest {
    @Test
    void theVectorLookupIsBitIdenticalToTheScalarOne() {
        SplittableRandom rnd = new SplittableRandom(8);
        for (int bits : new int[] {8, 13, 20, 32, 40, 62}) {
            for (int n : new int[] {1, 7, 8, 63, 64, 65, 200}) {
                int d = DigitComparison.digits(bits);
                long[] c = new long[n];
                for (int e = 0; e < n; e++) {
                    c[e] = rnd.nextLong() & ((1L << bits) - 1);
                }
                long[] tables = rnd.longs((long) DigitComparison.tableWords(bits) * n).toArray();
                int words = d * ((n + 63) / 64);
                long[][] scalar = {new long[words], new long[words]};
                long[][] vector = {new long[words], new long[words]};
                DigitLookup.SCALAR.lookup(c, tables, bits, scalar[0], scalar[1]);
                new VectorDigitLookup().lookup(c, tables, bits, vector[0], vector[1]);
                assertArrayEquals(scalar[0], vector[0], "L, bits=" + bits + " n=" + n);
                assertArrayEquals(scalar[1], vector[1], "E, bits=" + bits + " n=" + n);
            }
        }
    }

    @Test
    void comparisonsUseTheVectorLookupWhenTheJvmHasTheVectorApi() {
        assertEquals(VectorDigitLookup.class, DigitLookup.DEFAULT.getClass(), "the test JVMs run with jdk.incubator.vector");
    }
}
