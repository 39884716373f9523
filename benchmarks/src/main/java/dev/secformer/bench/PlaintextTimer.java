package dev.secformer.bench;

import dev.secformer.nn.FloatBert;
import dev.secformer.nn.ReferenceBert;
import dev.secformer.nn.secure.PlainBertWeights;

/** The plaintext yardstick: the same model in float32 on ND4J ({@link FloatBert}). */
final class PlaintextTimer {
    private PlaintextTimer() {
    }

    /**
     * Best of 3 timed inferences of the exact model (softmax attention, erf GeLU, BERT's LayerNorm
     * epsilon), after one untimed warm-up.
     */
    static double bestOfThreeSeconds(PlainBertWeights w, BenchmarkInput in) {
        FloatBert plain = new FloatBert(w, ReferenceBert.Attention.SOFTMAX, null, 1e-12);
        plain.forward(in.tokenIds(), in.typeIds(), in.valid());
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            plain.forward(in.tokenIds(), in.typeIds(), in.valid());
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }
}
