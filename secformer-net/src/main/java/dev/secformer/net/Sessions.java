package dev.secformer.net;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Session and model-load identifiers: 16 random bytes. */
public final class Sessions {
    /** Bytes of an identifier. */
    public static final int ID_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Sessions() {
    }

    /** A fresh random identifier. */
    public static ByteString newId() {
        byte[] b = new byte[ID_BYTES];
        RANDOM.nextBytes(b);
        return ByteString.copyFrom(b);
    }

    /** Whether {@code id} has the length of an identifier. */
    static boolean valid(ByteString id) {
        return id.size() == ID_BYTES;
    }

    /** The first 8 bytes of {@code id} in hex, for logs and errors. */
    public static String hex(ByteString id) {
        return HexFormat.of().formatHex(id.substring(0, Math.min(8, id.size())).toByteArray());
    }
}
