package dev.secformer.core;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/** A {@link Correlation} given by its parts and a derivation function. */
public final class BasicCorrelation implements Correlation {
    private final String kind;
    private final long[] parameters;
    private final List<RandomPart> randomParts;
    private final List<DerivedPart> derivedParts;
    private final Function<long[][], long[][]> derivation;
    private final Consumer<long[][]> precomputation;

    public BasicCorrelation(String kind, long[] parameters, List<RandomPart> randomParts,
                            List<DerivedPart> derivedParts, Function<long[][], long[][]> derivation) {
        this(kind, parameters, randomParts, derivedParts, derivation, s -> { });
    }

    private BasicCorrelation(String kind, long[] parameters, List<RandomPart> randomParts, List<DerivedPart> derivedParts,
                             Function<long[][], long[][]> derivation, Consumer<long[][]> precomputation) {
        this.kind = kind;
        this.parameters = parameters.clone();
        this.randomParts = List.copyOf(randomParts);
        this.derivedParts = List.copyOf(derivedParts);
        this.derivation = derivation;
        this.precomputation = precomputation;
    }

    /** The same recipe whose party-side {@link #precompute} is {@code precomputation}. */
    public BasicCorrelation withPrecompute(Consumer<long[][]> precomputation) {
        return new BasicCorrelation(kind, parameters, randomParts, derivedParts, derivation, precomputation);
    }

    @Override
    public void precompute(long[][] shares) {
        precomputation.accept(shares);
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public long[] parameters() {
        return parameters.clone();
    }

    @Override
    public List<RandomPart> randomParts() {
        return randomParts;
    }

    @Override
    public List<DerivedPart> derivedParts() {
        return derivedParts;
    }

    @Override
    public long[][] derive(long[][] random) {
        long[][] d = derivation.apply(random);
        if (d.length != derivedParts.size()) {
            throw new IllegalStateException(kind + ": derivation returned " + d.length + " parts, expected " + derivedParts.size());
        }
        for (int i = 0; i < d.length; i++) {
            if (d[i].length != derivedParts.get(i).size()) {
                throw new IllegalStateException(kind + ": derived part " + i + " has " + d[i].length
                        + " elements, expected " + derivedParts.get(i).size());
            }
        }
        return d;
    }
}
