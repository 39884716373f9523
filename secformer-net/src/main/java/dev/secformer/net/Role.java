package dev.secformer.net;

import java.util.Locale;

/**
 * Who is at the other end of a connection, as its certificate says: the certificate's common name
 * is {@code party0}, {@code party1}, {@code dealer}, or {@code client} optionally followed by
 * {@code -name}. A peer's claims inside the protocol never decide its role.
 */
public enum Role {
    PARTY0, PARTY1, DEALER, CLIENT;

    /** The common name of this role's certificate (clients may add {@code -name}). */
    public String commonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role of computing party {@code id}. */
    public static Role party(int id) {
        if (id != 0 && id != 1) {
            throw new IllegalArgumentException("party id must be 0 or 1, got " + id);
        }
        return id == 0 ? PARTY0 : PARTY1;
    }

    /** The role a certificate's common name grants; an error for any other name. */
    public static Role ofCommonName(String cn) {
        for (Role r : values()) {
            if (cn.equals(r.commonName())) {
                return r;
            }
        }
        if (cn.startsWith("client-") && cn.length() > "client-".length()) {
            return CLIENT;
        }
        throw new IllegalArgumentException("certificate common name \"" + cn + "\" names no secformer role");
    }
}
