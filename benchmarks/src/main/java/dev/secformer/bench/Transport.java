package dev.secformer.bench;

import java.util.Locale;

/** How the two parties (and the dealer) talk in a harness run. */
public enum Transport {
    /** The in-process simulator: both parties in this JVM, messages through memory. */
    MEMORY,
    /**
     * The deployment's code on loopback: dealer, party 0 and party 1 as Netty servers with mutual
     * TLS in this JVM, the client sending shares and receiving results over TLS as well.
     */
    NETTY;

    /** How the reports and charts describe a run over this transport. */
    public String description() {
        return this == NETTY ? "Netty + TLS on loopback" : "in memory";
    }

    /** The name used on the command line and in the reports: memory or netty. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
