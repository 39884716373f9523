package dev.secformer.net;

import dev.secformer.core.Correlation;
import dev.secformer.core.CorrelationRegistry;
import dev.secformer.net.proto.CorrelationRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Correlations on the dealer's connections: a recipe travels as its kind and parameters and the
 * dealer rebuilds it through {@link CorrelationRegistry}; derived parts travel as packed
 * little-endian words.
 */
final class Recipes {
    private Recipes() {
    }

    /** The wire form of {@code c}. */
    static CorrelationRequest request(Correlation c) {
        CorrelationRequest.Builder r = CorrelationRequest.newBuilder().setKind(c.kind());
        for (long p : c.parameters()) {
            r.addParameters(p);
        }
        return r.build();
    }

    /** The recipe a request names; an {@link IllegalArgumentException} for an unknown kind or bad parameters. */
    static Correlation recipe(CorrelationRequest r) {
        return CorrelationRegistry.create(r.getKind(), r.getParametersList().stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * Sends {@code parts} (whole derived parts, in order) as one "corrections" message of packed words;
     * {@code what} names them in the error when they exceed the message limit.
     */
    static void sendCorrections(FrameConnection c, List<long[]> parts, String what) {
        long words = 0;
        for (long[] p : parts) {
            words += p.length;
        }
        if (8 * words > c.limits().maxMessageBytes()) {
            throw new IllegalArgumentException(what + " needs " + 8 * words + " bytes of corrections, above the message limit");
        }
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(8 * words)).order(ByteOrder.LITTLE_ENDIAN);
        parts.forEach(b.asLongBuffer()::put);
        c.send("corrections", b.array());
    }
}
