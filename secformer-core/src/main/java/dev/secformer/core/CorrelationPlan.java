package dev.secformer.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The correlations one computation draws, in order, each with the cost phase it was drawn in. A
 * secure computation is data-oblivious: for a given program and input shape it draws the same
 * recipes every time, so a plan recorded once (by {@link PlanRecorder}) tells the dealer and each
 * party what to prepare before the next input arrives.
 *
 * <p>The steps keep the recipes as the party drew them (with their party-side
 * {@link Correlation#precompute}); the dealer rebuilds them from kind and parameters.
 */
public final class CorrelationPlan {
    /** One draw: the cost phase path it belongs to and its recipe. */
    public record Step(String path, Correlation correlation) {
    }

    private final List<Step> steps;
    private final byte[] fingerprint;

    public CorrelationPlan(List<Step> steps) {
        this.steps = List.copyOf(steps);
        this.fingerprint = digest(this.steps);
    }

    public List<Step> steps() {
        return steps;
    }

    public int size() {
        return steps.size();
    }

    /**
     * SHA-256 over every step's kind and parameters: two parties (or a party and the dealer) hold the
     * same plan exactly when their fingerprints are equal.
     */
    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    /** A plan of bare recipes, as a dealer rebuilds it (no cost phases, no party-side precomputation). */
    public static CorrelationPlan ofRecipes(List<Correlation> recipes) {
        List<Step> steps = new ArrayList<>(recipes.size());
        recipes.forEach(c -> steps.add(new Step("", c)));
        return new CorrelationPlan(steps);
    }

    /**
     * The seed of prepared run {@code run} of instance {@code instance} of this plan under a party's
     * offline seed: a child of the instance's child of the plan's child, so that every plan, instance
     * and run draws from streams of its own. An instance is one period during which both parties
     * hold the plan; a plan recorded again gets a new instance, so run numbers may start over.
     */
    public byte[] runSeed(byte[] offlineSeed, long instance, long run) {
        long planId = ByteBuffer.wrap(fingerprint).getLong();
        return Prg.childSeed(Prg.childSeed(Prg.childSeed(offlineSeed, planId), instance), run);
    }

    /** True when {@code c} is the recipe of step {@code i} (same kind and parameters). */
    public boolean matches(int i, Correlation c) {
        Correlation expected = steps.get(i).correlation();
        return expected.kind().equals(c.kind()) && Arrays.equals(expected.parameters(), c.parameters());
    }

    /** Ring elements of {@code c}'s derived parts: the corrections the dealer sends party 1 for it. */
    static long derivedElements(Correlation c) {
        long n = 0;
        for (Correlation.DerivedPart p : c.derivedParts()) {
            n += p.size();
        }
        return n;
    }

    /** The recipes as kind and parameters, for a dealer that rebuilds them with {@link CorrelationRegistry}. */
    public List<Correlation> recipes() {
        List<Correlation> out = new ArrayList<>(steps.size());
        steps.forEach(s -> out.add(s.correlation()));
        return out;
    }

    private static byte[] digest(List<Step> steps) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Step s : steps) {
                sha.update(s.correlation().kind().getBytes(StandardCharsets.UTF_8));
                long[] p = s.correlation().parameters();
                ByteBuffer b = ByteBuffer.allocate(4 + 8 * p.length).putInt(p.length);
                for (long v : p) {
                    b.putLong(v);
                }
                sha.update(b.array());
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
