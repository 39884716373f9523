package dev.secformer.core;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dealer ("trusted third party", P2): it knows both parties' seeds, mirrors their PRG streams
 * and computes party 1's corrections. It never sees a secret input, weight or output.
 *
 * <p>Cost: 2 x 16 bytes of seeds per session, then 8 bytes per derived element to party 1;
 * random parts cost nothing on the wire. Persistent masks are regenerated from the seeds once and
 * cached here (the dealer's memory grows with the size of the model's weights).
 *
 * <p>Requests must arrive in the order in which the parties draw; a dealer serves one session.
 */
public final class Dealer implements DealerLink {
    private final byte[] seed0;
    private final byte[] seed1;
    private final Prg mirror0;
    private final Prg mirror1;
    private final Map<Long, long[]> persistentValues = new HashMap<>();
    private long bytesSent;
    private long nanos;

    /** A dealer with fresh seeds from {@link java.security.SecureRandom}. */
    public Dealer() {
        this(Prg.freshSeed(), Prg.freshSeed());
    }

    /** A dealer with the given seeds (tests and the network dealer, which generates them itself). */
    public Dealer(byte[] seed0, byte[] seed1) {
        this.seed0 = seed0.clone();
        this.seed1 = seed1.clone();
        this.mirror0 = new Prg(seed0);
        this.mirror1 = new Prg(seed1);
    }

    /** The seed of party {@code id}; handing it out counts as dealer bytes. */
    public synchronized byte[] seedFor(int id) {
        bytesSent += Prg.SEED_BYTES;
        return (id == 0 ? seed0 : seed1).clone();
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
                values[i] = persistentValues.computeIfAbsent(p.persistentKey(), k -> {
                    long[] a = new Prg(seed0).derive(k).nextLongs(p.size());
                    combine(a, new Prg(seed1).derive(k).nextLongs(p.size()), p.sharing());
                    return a;
                });
                if (values[i].length != p.size()) {
                    throw new IllegalArgumentException("persistent key " + p.persistentKey() + " used with sizes "
                            + values[i].length + " and " + p.size());
                }
            }
        }
        SeededRandomness.drawRandomParts(mirror0, random, r0, false);
        SeededRandomness.drawRandomParts(mirror1, random, r1, false);
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
    private static long[] combine(long[] a, long[] b, Correlation.Sharing sharing) {
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
