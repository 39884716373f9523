package dev.secformer.core;

/**
 * A party's source of correlated randomness (its view of the dealer). Both parties must draw the
 * same correlations in the same order; each draw is fresh (persistent parts aside).
 */
public interface CorrelatedRandomness {
    /**
     * This party's shares of {@code c}: one array per random part (null for a dealer-only part),
     * then one per derived part, in the order the correlation lists them.
     */
    long[][] draw(Correlation c);
}
