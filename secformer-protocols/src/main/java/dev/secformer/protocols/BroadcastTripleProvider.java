package dev.secformer.protocols;

import java.util.Map;
import java.util.function.Function;

import dev.secformer.core.Correlation;
import dev.secformer.core.CorrelationRegistry;

/** Registers the broadcast triple (used by division, 2Quad and LayerNorm) for a remote dealer. */
public final class BroadcastTripleProvider implements CorrelationRegistry.Provider {
    @Override
    public Map<String, Function<long[], Correlation>> correlations() {
        return Map.of(BroadcastProduct.KIND, p -> {
            if (p.length != 4 || (p[2] != 0 && p[2] != 1)) {
                throw new IllegalArgumentException("expected {rows, cols, perRow 0/1, operand count}");
            }
            return BroadcastProduct.triple(Math.toIntExact(p[0]), Math.toIntExact(p[1]), p[2] == 1, Math.toIntExact(p[3]));
        });
    }
}
