package dev.secformer.core;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.secformer.core.Correlation.DerivedPart;
import dev.secformer.core.Correlation.RandomPart;

/** The correlations of the core protocols: masks, Beaver triples, square pairs, matrix triples. */
public final class Correlations {
    private Correlations() {
    }

    /** {@code n} uniform shared ring elements (no dealer traffic). */
    public static Correlation mask(int n) {
        return new BasicCorrelation("mask", new long[] {n}, List.of(RandomPart.fresh(n)), List.of(), r -> new long[0][]);
    }

    /** Elementwise Beaver triple: random a, b; derived c = a * b. */
    public static Correlation triple(int n) {
        return new BasicCorrelation("triple", new long[] {n}, List.of(RandomPart.fresh(n), RandomPart.fresh(n)),
                List.of(DerivedPart.additive(n)), r -> {
                    long[] c = new long[n];
                    for (int i = 0; i < n; i++) {
                        c[i] = r[0][i] * r[1][i];
                    }
                    return new long[][] {c};
                });
    }

    /** Square pair: random r; derived r^2. */
    public static Correlation square(int n) {
        return new BasicCorrelation("square", new long[] {n}, List.of(RandomPart.fresh(n)),
                List.of(DerivedPart.additive(n)), r -> {
                    long[] c = new long[n];
                    for (int i = 0; i < n; i++) {
                        c[i] = r[0][i] * r[0][i];
                    }
                    return new long[][] {c};
                });
    }

    /**
     * Matrix triple for {@code batch} products {@code op(A) op(B)} with op(A) {@code m x k}, op(B)
     * {@code k x n}: random A and B stored as the operands are (transposed when the flag is set),
     * derived C = op(A) op(B) of shape {@code batch x m x n}.
     */
    public static Correlation matmulTriple(int batch, int m, int k, int n, boolean transA, boolean transB) {
        long[] params = {batch, m, k, n, transA ? 1 : 0, transB ? 1 : 0};
        return new BasicCorrelation("matmul", params,
                List.of(RandomPart.fresh(batch * m * k), RandomPart.fresh(batch * k * n)),
                List.of(DerivedPart.additive(batch * m * n)), r -> {
                    long[] c = new long[batch * m * n];
                    for (int t = 0; t < batch; t++) {
                        RingMatmul.multiply(r[0], t * m * k, transA, r[1], t * k * n, transB, c, t * m * n, m, k, n);
                    }
                    return new long[][] {c};
                });
    }

    /**
     * Triple for a product {@code X W} with a fixed weight W ({@code k x n}) whose mask B is the
     * persistent part {@code key}: random A ({@code m x k}, fresh) and B (persistent, dealer only: the
     * parties hold W - B), derived C = A B.
     */
    public static BasicCorrelation weightTriple(int m, int k, int n, long key) {
        return new BasicCorrelation("weight-triple", new long[] {m, k, n, key},
                List.of(RandomPart.fresh(m * k), RandomPart.persistentDealerOnly(k * n, key)),
                List.of(DerivedPart.additive(m * n)), r -> {
                    long[] c = new long[m * n];
                    RingMatmul.multiply(r[0], 0, false, r[1], 0, false, c, 0, m, k, n);
                    return new long[][] {c};
                });
    }

    /**
     * The triple of a product {@code X W} ({@code m x k} by {@code k x n}) with a {@link FixedWeight}, as
     * a party uses it: {@link #weightTriple} whose derived share C is replaced, at {@link Correlation#precompute},
     * by {@code A F + C} with the public F = W - B. The online product is then one local {@code E W_i}.
     */
    static Correlation weightProduct(int m, FixedWeight w) {
        PackedMatrix f = w.opened();
        return weightTriple(m, w.rows(), w.cols(), w.key()).withPrecompute(s -> {
            long[] af = f.multiplyFromLeft(RingTensor.of(s[0], m, w.rows())).data();
            long[] c = s[2];
            for (int i = 0; i < c.length; i++) {
                c[i] += af[i];
            }
        });
    }

    /** The persistent mask {@code key} of {@code size} elements alone (opened once per model load). */
    public static Correlation weightMask(int size, long key) {
        return new BasicCorrelation("weight-mask", new long[] {size, key},
                List.of(RandomPart.persistent(size, key)), List.of(), r -> new long[0][]);
    }

    static final Map<String, Function<long[], Correlation>> FACTORIES = Map.of(
            "mask", p -> mask(Math.toIntExact(p[0])),
            "triple", p -> triple(Math.toIntExact(p[0])),
            "square", p -> square(Math.toIntExact(p[0])),
            "matmul", p -> matmulTriple(Math.toIntExact(p[0]), Math.toIntExact(p[1]), Math.toIntExact(p[2]),
                    Math.toIntExact(p[3]), p[4] != 0, p[5] != 0),
            "weight-triple", p -> weightTriple(Math.toIntExact(p[0]), Math.toIntExact(p[1]), Math.toIntExact(p[2]), p[3]),
            "weight-mask", p -> weightMask(Math.toIntExact(p[0]), p[1]),
            "truncation", Truncation::fromParameters,
            "truncated-mul", TruncatedProducts::mulFromParameters,
            "truncated-square", p -> TruncatedProducts.squareCorrelation(Math.toIntExact(p[0]), Math.toIntExact(p[1])),
            "lookup", p -> ObliviousLookup.correlation(Math.toIntExact(p[0]), Math.toIntExact(p[1]), Math.toIntExact(p[2]),
                    Math.toIntExact(p[3]), p[4]));
}
