package dev.secformer.core;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Rebuilds a {@link Correlation} from its kind and parameters, for a dealer that receives requests
 * over the network. Modules contribute their recipes through {@link Provider} (java.util.ServiceLoader)
 * or {@link #register}.
 */
public final class CorrelationRegistry {
    /** A module's recipes, discovered with {@link ServiceLoader}. */
    public interface Provider {
        Map<String, Function<long[], Correlation>> correlations();
    }

    private static final Map<String, Function<long[], Correlation>> FACTORIES = new ConcurrentHashMap<>();

    static {
        FACTORIES.putAll(Correlations.FACTORIES);
        for (Provider p : ServiceLoader.load(Provider.class)) {
            FACTORIES.putAll(p.correlations());
        }
    }

    private CorrelationRegistry() {
    }

    public static void register(String kind, Function<long[], Correlation> factory) {
        FACTORIES.put(kind, factory);
    }

    /** The recipe of {@code kind} with {@code parameters}; a clear error for an unknown kind or bad parameters. */
    public static Correlation create(String kind, long[] parameters) {
        Function<long[], Correlation> f = FACTORIES.get(kind);
        if (f == null) {
            throw new IllegalArgumentException("unknown correlation kind \"" + kind + "\"");
        }
        try {
            return f.apply(parameters.clone());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad parameters for correlation \"" + kind + "\": " + e.getMessage(), e);
        }
    }
}
