package dev.secformer.core;

import java.util.List;

/**
 * A recipe of correlated randomness that the dealer provides, known identically to both parties
 * and the dealer.
 *
 * <p>A correlation has <em>random</em> parts, uniform over the ring, and <em>derived</em> parts,
 * functions of the random ones (the product c = a*b of a Beaver triple, sin(k t) of a sine mask).
 * Each party's share of a random part is drawn from its own seeded PRG, so random parts cost no
 * dealer traffic; the value is the sum of the two shares. For derived parts, party 0's share is
 * drawn from its PRG too, and party 1 receives a correction {@code value - share0} (or
 * {@code value XOR share0} for binary sharing) from the dealer: the CrypTen TTP scheme.
 *
 * <p>A random part with a key is <em>persistent</em>: its shares come from the PRG stream named
 * by the key, so the same value recurs wherever the key is used (a weight's mask, opened once per
 * model load). Every other part is fresh at each draw.
 *
 * <p>{@link #kind()} and {@link #parameters()} identify the recipe for a remote dealer, which
 * rebuilds it through {@link CorrelationRegistry}.
 */
public interface Correlation {

    /** How the two shares of a part combine. */
    enum Sharing { ADDITIVE, XOR }

    /**
     * A uniform random part of {@code size} elements; {@code persistentKey} is null for a fresh one.
     * A persistent part may be {@code dealerOnly}: the dealer uses its value to derive other parts
     * but the parties do not draw their shares (a weight triple's mask B, whose opening W - B the
     * parties already hold). With {@link Sharing#XOR} the value is the XOR of the two parties' PRG
     * outputs instead of their sum (random bits for binary circuits).
     */
    record RandomPart(int size, Long persistentKey, boolean dealerOnly, Sharing sharing) {
        public RandomPart {
            if (size < 0) {
                throw new IllegalArgumentException("negative part size " + size);
            }
            if (dealerOnly && persistentKey == null) {
                throw new IllegalArgumentException("only a persistent part can be dealer-only");
            }
        }

        public static RandomPart fresh(int size) {
            return new RandomPart(size, null, false, Sharing.ADDITIVE);
        }

        /** Fresh random words whose value is the XOR of the parties' shares. */
        public static RandomPart freshXor(int size) {
            return new RandomPart(size, null, false, Sharing.XOR);
        }

        public static RandomPart persistent(int size, long key) {
            return new RandomPart(size, key, false, Sharing.ADDITIVE);
        }

        public static RandomPart persistentDealerOnly(int size, long key) {
            return new RandomPart(size, key, true, Sharing.ADDITIVE);
        }
    }

    /** A derived part of {@code size} elements. */
    record DerivedPart(int size, Sharing sharing) {
        public static DerivedPart additive(int size) {
            return new DerivedPart(size, Sharing.ADDITIVE);
        }

        public static DerivedPart xor(int size) {
            return new DerivedPart(size, Sharing.XOR);
        }
    }

    /** Registry name of this recipe. */
    String kind();

    /** The numbers that, with {@link #kind()}, rebuild this recipe (sizes, constants, keys). */
    long[] parameters();

    List<RandomPart> randomParts();

    List<DerivedPart> derivedParts();

    /**
     * Dealer side: the plaintext values of the derived parts from the plaintext values of the random
     * parts (in the order of {@link #randomParts()}).
     */
    long[][] derive(long[][] random);

    /**
     * Party side: folds input-independent local work into this party's shares (in place) before the
     * computation uses them, e.g. the term A F of a product with a fixed weight whose F = W - B is
     * public. Runs offline when the correlation is prepared ahead. The default does nothing.
     */
    default void precompute(long[][] shares) {
    }
}
