package dev.secformer.protocols;

import dev.secformer.core.Correlation;
import dev.secformer.core.CorrelationRegistry;
import java.util.Map;
import java.util.function.Function;

/** The comparison's dealer recipes, for a remote dealer. */
public final class ComparisonCorrelations implements CorrelationRegistry.Provider {
    @Override
    public Map<String, Function<long[], Correlation>> correlations() {
        return Map.of(
                DigitComparison.KIND, p -> DigitComparison.correlation(Math.toIntExact(p[0]), Math.toIntExact(p[1])),
                CryptenComparison.KIND, p -> CryptenComparison.correlation(Math.toIntExact(p[0])));
    }
}
