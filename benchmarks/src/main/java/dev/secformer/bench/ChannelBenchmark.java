package dev.secformer.bench;

import dev.secformer.core.FixedPoint;
import dev.secformer.core.Party;
import dev.secformer.core.RingTensor;
import dev.secformer.core.TwoPartyRuntime;
import dev.secformer.net.DealerServer;
import dev.secformer.net.Endpoint;
import dev.secformer.net.InferenceClient;
import dev.secformer.net.KeyGen;
import dev.secformer.net.NetLimits;
import dev.secformer.net.PartyServer;
import dev.secformer.net.Tls;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * The party-to-party channel alone: one round in which both parties send {@code kib} KiB to each
 * other, over Netty + mutual TLS on loopback (two party servers and a dealer in this JVM, as in
 * the harness) or in memory ({@code transport=memory}). Time per round; its inverse times the size
 * is the throughput per direction. What a protocol's bytes and rounds cost on the wire, apart from
 * its computation: {@code java -jar benchmarks.jar ChannelBenchmark -p kib=0,1024,8192}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class ChannelBenchmark {
    /** Rounds per session: the session's set-up is spread over them. */
    private static final int ROUNDS = 50;

    @Param({"0", "1024", "8192", "32768"})
    int kib;

    @Param({"netty", "memory"})
    String transport;

    private final Deque<AutoCloseable> stops = new ArrayDeque<>();
    private InferenceClient client;
    private TwoPartyRuntime runtime;
    private Map<String, RingTensor> request;

    /** A service whose inference is {@code rounds} exchanges of {@code kib} KiB each way. */
    static final class Exchanges implements PartyServer.Service<Object> {
        @Override
        public Object load(Party party) {
            return new Object();
        }

        @Override
        public Map<String, RingTensor> infer(Party party, Object model, Map<String, RingTensor> in) {
            exchange(party, (int) in.get("kib").data()[0], (int) in.get("rounds").data()[0]);
            return Map.of();
        }
    }

    static void exchange(Party party, int kib, int rounds) {
        byte[] payload = new byte[kib << 10];
        for (int r = 0; r < rounds; r++) {
            party.channel().exchange(new byte[][] {payload});
        }
    }

    @Setup
    public void setup() throws Exception {
        request = Map.of("kib", RingTensor.of(new long[] {kib}, 1), "rounds", RingTensor.of(new long[] {ROUNDS}, 1));
        if (transport.equals("memory")) {
            runtime = new TwoPartyRuntime();
            return;
        }
        Path certificates = Files.createTempDirectory("secformer-channel");
        KeyGen.generate(certificates, List.of("127.0.0.1"), List.of("bench"), Duration.ofDays(1));
        NetLimits limits = NetLimits.defaults().withTimeout(Duration.ofMinutes(2));
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        DealerServer dealer = stopLater(new DealerServer(endpoint(certificates, "dealer", limits), any));
        PartyServer<Object> p1 = stopLater(new PartyServer<>(new PartyServer.Config(1, any, null, dealer.address(), 1,
                FixedPoint.standard(), 1, null), endpoint(certificates, "party1", limits), new Exchanges()).start(Duration.ZERO));
        PartyServer<Object> p0 = stopLater(new PartyServer<>(new PartyServer.Config(0, any, p1.address(), dealer.address(), 1,
                FixedPoint.standard(), 1, null), endpoint(certificates, "party0", limits), new Exchanges())
                .start(Duration.ofMinutes(1)));
        client = new InferenceClient(endpoint(certificates, "client-bench", limits), p0.address(), p1.address());
    }

    private Endpoint endpoint(Path certificates, String name, NetLimits limits) {
        return stopLater(new Endpoint(name, new Tls(Tls.Files.in(certificates, name)), limits));
    }

    private <T extends AutoCloseable> T stopLater(T started) {
        stops.push(started);
        return started;
    }

    /** {@value #ROUNDS} rounds of one session; the score divided by {@value #ROUNDS} is one round. */
    @Benchmark
    public Object rounds() {
        if (runtime != null) {
            return runtime.run(p -> {
                exchange(p, kib, ROUNDS);
                return null;
            });
        }
        return client.infer(request, request);
    }

    @TearDown
    public void tearDown() throws Exception {
        while (!stops.isEmpty()) {
            stops.pop().close();
        }
    }
}
