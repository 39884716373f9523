package dev.secformer.core;

import java.util.List;

/**
 * The dealer ("trusted third party", P2): it knows both parties' seeds, mirrors their PRG streams
 * and computes party 1's corrections. It never sees a secret input, weight or output.
 *
 * <p>Cost: 2 x 16 bytes of session seeds per session (and 2 x 16 bytes of persistent seeds per
 * model load), then 8 bytes per derived element to party 1; random parts cost nothing on the wire.
 * Persistent masks are regenerated once and cached in {@link PersistentMasks}.
 *
 * <p>Requests must arrive in the order in which the parties draw; a dealer serves one session.
 */
public final class Dealer implements DealerLink {
    private final byte[] seed0;
    private final byte[] seed1;
    private final Prg mirror0;
    private final Prg mirror1;
    private final PersistentMasks persistent;
    private long bytesSent;
    private long nanos;

    /** A dealer with fresh session and persistent seeds from {@link java.security.SecureRandom}. */
    public Dealer() {
        this(Prg.freshSeed(), Prg.freshSeed(), PersistentMasks.fresh());
    }

    /**
     * A dealer for one session with the given session seeds, serving a model loaded under
     * {@code persistent} (the network dealer shares it between the sessions of a model load).
     */
    public Dealer(byte[] seed0, byte[] seed1, PersistentMasks persistent) {
        this.seed0 = seed0.clone();
        this.seed1 = seed1.clone();
        this.mirror0 = new Prg(seed0);
        this.mirror1 = new Prg(seed1);
        this.persistent = persistent;
    }

    /** The session seed of party {@code id}; handing it out counts as dealer bytes. */
    public synchronized byte[] seedFor(int id) {
        bytesSent += Prg.SEED_BYTES;
        return (id == 0 ? seed0 : seed1).clone();
    }

    /** The persistent seed of party {@code id}; handing it out counts as dealer bytes. */
    public synchronized byte[] persistentSeedFor(int id) {
        bytesSent += Prg.SEED_BYTES;
        return persistent.seedFor(id);
    }

    @Override
    public synchronized long[][] corrections(Correlation c) {
        long start = System.nanoTime();
        List<Correlation.RandomPart> random = c.randomParts();
        long[][] r0 = new long[random.size()][];
        long[][] r1 = new long[random.size()][];
        long[][] values = new long[random.size()][];
        for (int i = 0; i < random.size(); i++) {
            Correlation.RandomPart p = random.get(i);
            if (p.persistentKey() != null) {
                values[i] = persistent.value(p);
            }
        }
        SeededRandomness.drawFreshParts(mirror0, random, r0);
        SeededRandomness.drawFreshParts(mirror1, random, r1);
        for (int i = 0; i < random.size(); i++) {
            if (values[i] == null) {
                values[i] = combine(r0[i], r1[i], random.get(i).sharing());
            }
        }
        long[][] derived = c.derive(values);
        List<Correlation.DerivedPart> parts = c.derivedParts();
        for (int i = 0; i < parts.size(); i++) {
            long[] share0 = mirror0.nextLongs(parts.get(i).size());
            long[] d = derived[i];
            boolean xor = parts.get(i).sharing() == Correlation.Sharing.XOR;
            for (int j = 0; j < d.length; j++) {
                d[j] = xor ? d[j] ^ share0[j] : d[j] - share0[j];
            }
            bytesSent += 8L * d.length;
        }
        nanos += System.nanoTime() - start;
        return derived;
    }

    /** {@code a = a + b} or {@code a = a ^ b} elementwise; returns a. */
    static long[] combine(long[] a, long[] b, Correlation.Sharing sharing) {
        boolean xor = sharing == Correlation.Sharing.XOR;
        for (int j = 0; j < a.length; j++) {
            a[j] = xor ? a[j] ^ b[j] : a[j] + b[j];
        }
        return a;
    }

    /** Bytes handed out so far (seeds and corrections). */
    public synchronized long bytesSent() {
        return bytesSent;
    }

    /** Time spent computing corrections so far. */
    public synchronized long nanos() {
        return nanos;
    }
}
