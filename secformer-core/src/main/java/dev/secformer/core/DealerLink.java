package dev.secformer.core;

/** How party 1 obtains its corrections from the dealer: a direct call in process, a request on the network. */
@FunctionalInterface
public interface DealerLink {
    /**
     * Party 1's shares of the derived parts of {@code c} (value minus, or XOR, party 0's share). Called
     * for every draw in order, also for a recipe without derived parts (empty answer), since the
     * dealer mirrors the parties' streams.
     */
    long[][] corrections(Correlation c);
}
