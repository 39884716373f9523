package dev.secformer.bench;

import dev.secformer.core.RingMatmul;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Ring matrix product n x n by n x n, vector kernel against scalar kernel. Throughput in
 * G multiply-adds/s is n^3 / (time per op in ns).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class RingMatmulBenchmark {
    @Param("768")
    int n;

    long[] a;
    long[] b;
    long[] c;

    @Setup
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(1);
        a = rnd.longs((long) n * n).toArray();
        b = rnd.longs((long) n * n).toArray();
        c = new long[n * n];
    }

    @Benchmark
    public long[] vector() {
        RingMatmul.multiply(a, 0, false, b, 0, false, c, 0, n, n, n);
        return c;
    }

    @Benchmark
    public long[] scalar() {
        RingMatmul.multiplyScalar(a, 0, false, b, 0, false, c, 0, n, n, n);
        return c;
    }
}
