package dev.secformer.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A cryptographic pseudo-random generator: AES-128 in counter mode over a 128-bit seed. Two PRGs
 * with the same seed produce the same stream, which is how a party and the dealer agree on
 * correlated randomness without sending it. Not thread-safe.
 */
public final class Prg {
    /** Seed length in bytes. */
    public static final int SEED_BYTES = 16;
    private static final int CHUNK = 1 << 16;
    private static final SecureRandom SECURE_RANDOM = new SecureRandom();

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] seed;
    private final Cipher cipher;
    private final byte[] zeros = new byte[CHUNK];
    private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);

    /** A PRG over {@code seed} (16 bytes), stream 0. */
    public Prg(byte[] seed) {
        this(seed, new byte[16]);
    }

    private Prg(byte[] seed, byte[] iv) {
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("PRG seed must be " + SEED_BYTES + " bytes, got " + seed.length);
        }
        this.seed = seed.clone();
        try {
            cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(this.seed, "AES"), new IvParameterSpec(iv));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR is not available in this JVM", e);
        }
        buffer.limit(0);
    }

    /** A fresh seed from {@link SecureRandom}. */
    public static byte[] freshSeed() {
        byte[] s = new byte[SEED_BYTES];
        SECURE_RANDOM.nextBytes(s);
        return s;
    }

    /** A PRG seeded from {@link SecureRandom}. */
    public static Prg fresh() {
        return new Prg(freshSeed());
    }

    /**
     * An independent stream of the same seed, named by {@code key}: the counter starts at a block
     * derived from SHA-256(key), so distinct keys give non-overlapping streams (for any practical length).
     */
    public Prg derive(long key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(ByteBuffer.allocate(8 + 9).putLong(key).put("secformer".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).array());
            byte[] iv = java.util.Arrays.copyOf(sha.digest(), 16);
            iv[0] |= (byte) 0x80; // stream 0 starts at IV 0: keep derived streams far from it
            return new Prg(seed, iv);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The seed of child {@code index} of {@code seed}: the first 16 bytes of the stream derived under
     * {@code index}. The children of a session seed give each prepared computation its own streams, so
     * that computations can be prepared in any order and in parallel without sharing a stream.
     */
    public static byte[] childSeed(byte[] seed, long index) {
        Prg p = new Prg(seed).derive(index);
        ByteBuffer out = ByteBuffer.allocate(SEED_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        while (out.hasRemaining()) {
            out.putLong(p.nextLong());
        }
        return out.array();
    }

    private void refill() {
        buffer.clear();
        try {
            cipher.update(zeros, 0, CHUNK, buffer.array(), 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        buffer.limit(CHUNK);
    }

    public long nextLong() {
        if (buffer.remaining() < 8) {
            refill();
        }
        return buffer.getLong();
    }

    /** Fills {@code out[off .. off+n)} with uniform ring elements. */
    public void fill(long[] out, int off, int n) {
        byte[] raw = buffer.array();
        int i = 0;
        while (i < n) {
            if (buffer.remaining() < 8) {
                refill();
            }
            int pos = buffer.position();
            int take = Math.min(n - i, buffer.remaining() / 8);
            for (int j = 0; j < take; j++) {
                out[off + i + j] = (long) LONGS.get(raw, pos + 8 * j);
            }
            buffer.position(pos + 8 * take);
            i += take;
        }
    }

    /** {@code n} uniform ring elements. */
    public long[] nextLongs(int n) {
        long[] out = new long[n];
        fill(out, 0, n);
        return out;
    }
}
