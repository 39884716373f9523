package dev.secformer.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The persistent seeds of one model load (one per party) and the dealer's cache of the mask values
 * they define. A weight's mask B is a persistent part: both parties draw their shares of it from
 * the stream of their persistent seed named by the weight's key, so it is the same in every session
 * that serves the loaded model, while every fresh part comes from the session's own seeds.
 *
 * <p>Memory: the cache holds one long per weight element of the model (BERT-base: about 0.9 GB).
 * Thread-safe: the sessions of one model load share it.
 */
public final class PersistentMasks {
    private final byte[] seed0;
    private final byte[] seed1;
    private final Map<Long, long[]> values = new ConcurrentHashMap<>();

    public PersistentMasks(byte[] seed0, byte[] seed1) {
        if (seed0.length != Prg.SEED_BYTES || seed1.length != Prg.SEED_BYTES) {
            throw new IllegalArgumentException("persistent seeds must be " + Prg.SEED_BYTES + " bytes");
        }
        this.seed0 = seed0.clone();
        this.seed1 = seed1.clone();
    }

    /** Persistent seeds from {@link java.security.SecureRandom}. */
    public static PersistentMasks fresh() {
        return new PersistentMasks(Prg.freshSeed(), Prg.freshSeed());
    }

    /** Party {@code id}'s persistent seed. */
    public byte[] seedFor(int id) {
        return (id == 0 ? seed0 : seed1).clone();
    }

    /** The value (sum or XOR of both parties' shares) of the persistent part {@code p}. */
    long[] value(Correlation.RandomPart p) {
        long[] v = values.computeIfAbsent(p.persistentKey(), k -> {
            long[] a = new Prg(seed0).derive(k).nextLongs(p.size());
            return Dealer.combine(a, new Prg(seed1).derive(k).nextLongs(p.size()), p.sharing());
        });
        if (v.length != p.size()) {
            throw new IllegalArgumentException("persistent key " + p.persistentKey() + " used with sizes "
                    + v.length + " and " + p.size());
        }
        return v;
    }
}
