package dev.secformer.core;

/** How party 1 obtains its corrections from the dealer: a direct call in process, a request on the network. */
@FunctionalInterface
public interface DealerLink {
    /** Party 1's shares of the derived parts of {@code c} (value minus, or XOR, party 0's share). */
    long[][] corrections(Correlation c);
}
