package dev.secformer.core;

/**
 * What one secure inference cost, the same whichever transport ran it (the in-process simulator
 * or the parties' servers).
 *
 * @param report         protocol bytes, rounds, dealer bytes and time per phase, offline time beside online
 * @param onlineSeconds  the two-party computation once the input was shared (the longer party's wall time)
 * @param offlineSeconds preparing its correlations before the request; 0 when they were drawn inline
 * @param prepared       whether its correlations were prepared before it
 * @param wire           what the party-to-party link carried beyond the protocol bytes; null in memory
 */
public record InferenceCost(CostReport report, double onlineSeconds, double offlineSeconds, boolean prepared, Wire wire) {

    /**
     * Party-to-party traffic over a network, both directions, as party 0 counted it.
     *
     * @param framingBytes what the frames added to the protocol bytes (headers, length prefixes)
     * @param socketBytes  everything on the socket, TLS records included
     */
    public record Wire(long framingBytes, long socketBytes) {
    }

    /** Total protocol bytes, rounds and dealer bytes. */
    public CostReport.Entry total() {
        return report.total();
    }
}
