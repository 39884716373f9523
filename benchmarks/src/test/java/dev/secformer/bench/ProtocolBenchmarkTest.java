package dev.secformer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

/** The JMH benchmark's parameter list names every case of the protocol table, once. */
class ProtocolBenchmarkTest {
    @Test
    void everyProtocolCaseIsABenchmarkParameter() throws NoSuchFieldException {
        List<String> params = Arrays.asList(ProtocolBenchmark.class.getDeclaredField("protocol").getAnnotation(Param.class).value());
        List<String> keys = ProtocolTable.cases().stream().map(ProtocolCase::key).toList();
        assertEquals(keys, params);
        assertEquals(keys.size(), keys.stream().distinct().count(), "keys are unique");
    }

    @Test
    void aBenchmarkInvocationComputesTheProtocol() {
        ProtocolBenchmark b = new ProtocolBenchmark();
        b.protocol = "reciprocal-secformer";
        b.phase = "total";
        b.setup();
        ProtocolMeasurement.Row row = ProtocolMeasurement.measure(ProtocolTable.byKey("reciprocal-secformer"), 1);
        assertTrue(row.maxRelError() < 1e-3, "1/x error " + row.maxRelError());
        assertEquals(16384, b.run().size());
        ProtocolBenchmark online = new ProtocolBenchmark();
        online.protocol = "reciprocal-secformer";
        online.phase = "online";
        online.setup();
        online.prepare();
        assertEquals(16384, online.run().size(), "a call on prepared correlations (a plan mismatch would throw)");
        online.close();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProtocolTable.byKey("nope"));
        assertTrue(e.getMessage().contains("gelu-secformer"), e.getMessage());
    }
}
