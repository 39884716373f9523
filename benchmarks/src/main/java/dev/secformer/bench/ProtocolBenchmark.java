package dev.secformer.bench;

import dev.secformer.core.Party;
import dev.secformer.core.Prg;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Sharing;
import dev.secformer.core.TwoPartyRuntime;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Each nonlinear protocol of SecFormer and of the peers on the BERT-shaped input of the protocol
 * table ({@link ProtocolTable}, which also reports bytes, rounds and error): the time of one
 * two-party execution in the in-process simulator. Phase {@code total}: the dealer draws inline;
 * phase {@code online}: the correlations are prepared before each call (not timed), as in a
 * deployment's online phase. Choose with {@code -p protocol=gelu-secformer,gelu-puma -p phase=online}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx6g"})
public class ProtocolBenchmark {
    @Param({"gelu-secformer", "gelu-puma", "gelu-crypten", "gelu-mpcformer",
        "less-than-zero-secformer", "less-than-zero-crypten",
        "softmax128-secformer", "softmax128-crypten", "softmax512-secformer", "softmax512-crypten",
        "layernorm-secformer", "layernorm-crypten", "reciprocal-secformer", "reciprocal-segments", "reciprocal-crypten",
        "inverse-sqrt-secformer", "inverse-sqrt-crypten"})
    String protocol;

    @Param({"total", "online"})
    String phase;

    private ProtocolCase c;
    private TwoPartyRuntime runtime;
    private TwoPartyRuntime.Session session;
    private RingTensor[] shares;

    @Setup
    public void setup() {
        c = ProtocolTable.byKey(protocol);
        runtime = new TwoPartyRuntime();
        shares = Sharing.split(runtime.fixedPoint().encode(c.input(), c.shape()), Prg.fresh());
        if (phase.equals("online")) {
            session = runtime.openSession();
            session.run(protocol, this::compute); // records the plan
        }
    }

    /** The offline phase of the next call, outside the measurement. */
    @Setup(Level.Invocation)
    public void prepare() {
        if (session != null) {
            session.prepare(protocol, 1);
        }
    }

    @TearDown
    public void close() {
        if (session != null) {
            session.close();
        }
    }

    @Benchmark
    public RingTensor run() {
        return (session == null ? runtime.run(this::compute) : session.run(protocol, this::compute)).party0();
    }

    private RingTensor compute(Party p) {
        return c.run(p, new SharedTensor(p.id(), shares[p.id()])).share();
    }
}
