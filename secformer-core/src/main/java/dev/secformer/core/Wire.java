package dev.secformer.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Packing of ring elements into channel payloads: the low {@code bits} bits of each element,
 * little-endian, {@code ceil(n * bits / 8)} bytes for n elements. Protocols that open values in a
 * smaller ring Z_2^bits (the secure sine opens in Z_(P*2^f)) pay only those bits.
 */
public final class Wire {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The largest payload {@link #pack} makes (a Java array holds a little under 2^31 bytes). */
    public static final long MAX_PAYLOAD = Integer.MAX_VALUE - 8;

    private Wire() {
    }

    /** Bytes that {@link #pack} produces for {@code n} elements of {@code bits} bits. */
    public static long packedBytes(long n, int bits) {
        return (n * bits + 7) / 8;
    }

    /** Packs the low {@code bits} (1..64) bits of {@code values[off .. off+n)}. */
    public static byte[] pack(long[] values, int off, int n, int bits) {
        checkBits(bits);
        long size = packedBytes(n, bits);
        if (size > MAX_PAYLOAD) {
            throw new IllegalArgumentException(n + " elements of " + bits + " bits need " + size
                    + " bytes, more than one payload holds (" + MAX_PAYLOAD + "); split them");
        }
        byte[] out = new byte[(int) size];
        if (bits == 64) {
            for (int i = 0; i < n; i++) {
                LONGS.set(out, i * 8, values[off + i]);
            }
            return out;
        }
        long mask = (1L << bits) - 1;
        long acc = 0;
        int accBits = 0;
        int pos = 0;
        for (int i = 0; i < n; i++) {
            long v = values[off + i] & mask;
            acc |= v << accBits;
            int taken = Math.min(bits, 64 - accBits);
            accBits += bits;
            if (accBits >= 64) {
                LONGS.set(out, pos, acc); // a full word always fits: the payload holds every bit packed so far
                pos += 8;
                accBits -= 64;
                acc = accBits == 0 ? 0 : v >>> taken;
            }
        }
        flush(out, pos, acc, (accBits + 7) / 8);
        return out;
    }

    public static byte[] pack(long[] values, int bits) {
        return pack(values, 0, values.length, bits);
    }

    private static int flush(byte[] out, int pos, long acc, int bytes) {
        for (int b = 0; b < bytes; b++) {
            out[pos++] = (byte) (acc >>> (8 * b));
        }
        return pos;
    }

    /**
     * Unpacks {@code n} elements of {@code bits} bits; each is returned in [0, 2^bits) (zero-extended).
     *
     * @throws ChannelException if the payload does not have exactly the expected length
     */
    public static long[] unpack(byte[] payload, int n, int bits) {
        checkBits(bits);
        long expected = packedBytes(n, bits);
        if (payload.length != expected) {
            throw new ChannelException("malformed payload: expected " + expected + " bytes for " + n
                    + " elements of " + bits + " bits, got " + payload.length);
        }
        long[] out = new long[n];
        if (bits == 64) {
            for (int i = 0; i < n; i++) {
                out[i] = (long) LONGS.get(payload, i * 8);
            }
            return out;
        }
        long mask = (1L << bits) - 1;
        long bitPos = 0;
        int i = 0;
        if (bits <= 56) { // one unaligned word read holds the whole element
            long lastWord = payload.length - 8L;
            for (; i < n && (bitPos >>> 3) <= lastWord; i++, bitPos += bits) {
                out[i] = ((long) LONGS.get(payload, (int) (bitPos >>> 3)) >>> (bitPos & 7)) & mask;
            }
        }
        for (; i < n; i++, bitPos += bits) {
            int byteIdx = (int) (bitPos >>> 3);
            int shift = (int) (bitPos & 7);
            long v = 0;
            int need = (shift + bits + 7) / 8;
            for (int b = 0; b < need && byteIdx + b < payload.length; b++) {
                long part = payload[byteIdx + b] & 0xFFL;
                int s = 8 * b - shift;
                v |= s >= 0 ? part << s : part >>> -s;
            }
            out[i] = v & mask;
        }
        return out;
    }

    /** Bytes of one bit-sliced vector of n bits: {@code ceil(n / 8)}. */
    public static int sliceBytes(long n) {
        return Math.toIntExact((n + 7) / 8);
    }

    /**
     * Packs {@code vectors} bit-sliced vectors of n bits each, stored as consecutive runs of
     * {@code ceil(n / 64)} words (bit j of word w is element 64 w + j), into {@link #sliceBytes} bytes each.
     */
    public static byte[] packSlices(long[] words, int vectors, long n) {
        int slices = Math.toIntExact((n + 63) / 64);
        int bytes = sliceBytes(n);
        if ((long) vectors * bytes > MAX_PAYLOAD) {
            throw new IllegalArgumentException(vectors + " vectors of " + n + " bits exceed one payload; split them");
        }
        byte[] out = new byte[vectors * bytes];
        for (int v = 0; v < vectors && slices > 0; v++) {
            int pos = v * bytes;
            for (int w = 0; w < slices - 1; w++, pos += 8) {
                LONGS.set(out, pos, words[v * slices + w]);
            }
            flush(out, pos, words[v * slices + slices - 1], bytes - 8 * (slices - 1));
        }
        return out;
    }

    /**
     * The inverse of {@link #packSlices}; bits past n in each vector's last word are zero.
     *
     * @throws ChannelException if the payload does not have exactly the expected length
     */
    public static long[] unpackSlices(byte[] payload, int vectors, long n) {
        int slices = Math.toIntExact((n + 63) / 64);
        int bytes = sliceBytes(n);
        if (payload.length != (long) vectors * bytes) {
            throw new ChannelException("malformed payload: expected " + (long) vectors * bytes + " bytes for "
                    + vectors + " bit vectors of " + n + " bits, got " + payload.length);
        }
        long[] out = new long[vectors * slices];
        for (int v = 0; v < vectors && slices > 0; v++) {
            int pos = v * bytes;
            for (int w = 0; w < slices - 1; w++, pos += 8) {
                out[v * slices + w] = (long) LONGS.get(payload, pos);
            }
            long last = 0;
            for (int b = 0; pos + b < (v + 1) * bytes; b++) {
                last |= (payload[pos + b] & 0xFFL) << (8 * b);
            }
            int tail = (int) (n - 64L * (slices - 1));
            out[v * slices + slices - 1] = tail == 64 ? last : last & ((1L << tail) - 1);
        }
        return out;
    }

    private static void checkBits(int bits) {
        if (bits < 1 || bits > 64) {
            throw new IllegalArgumentException("bits must be in [1, 64], got " + bits);
        }
    }
}
