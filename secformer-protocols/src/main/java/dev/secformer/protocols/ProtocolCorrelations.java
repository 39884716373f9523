package dev.secformer.protocols;

import dev.secformer.core.Correlation;
import dev.secformer.core.CorrelationRegistry;
import java.util.Map;
import java.util.function.Function;

/** The dealer recipes of the comparisons and the secure sine, for a remote dealer. */
public final class ProtocolCorrelations implements CorrelationRegistry.Provider {
    @Override
    public Map<String, Function<long[], Correlation>> correlations() {
        return Map.of(
                DigitComparison.KIND, p -> DigitComparison.correlation(Math.toIntExact(p[0]), Math.toIntExact(p[1]),
                        Math.toIntExact(p[2]), Math.toIntExact(p[3]), Math.toIntExact(p[4]), Math.toIntExact(p[5])),
                CryptenComparison.KIND, p -> CryptenComparison.correlation(Math.toIntExact(p[0])),
                SecureSine.KIND, p -> SecureSine.correlation(Math.toIntExact(p[0]), Math.toIntExact(p[1]),
                        Math.toIntExact(p[2]), Math.toIntExact(p[3]),
                        java.util.Arrays.stream(p, 4, p.length).mapToInt(Math::toIntExact).toArray()));
    }
}
