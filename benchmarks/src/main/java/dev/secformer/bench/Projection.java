package dev.secformer.bench;

import dev.secformer.net.LinkShape;

/**
 * A measured run's online time projected onto a network link, the one {@code --link} emulates:
 * T = compute + bytes / 2 / bandwidth + rounds x RTT / 2. The link is full duplex and the protocols
 * symmetric, so each direction carries half the online bytes; in a round both parties send and then
 * receive, so it waits one one-way delay, half the round-trip time.
 */
public enum Projection {
    /** 1 GB/s each way, 0.5 ms round trip. */
    LAN(LinkShape.LAN),
    /** 100 MB/s each way, 40 ms round trip. */
    WAN(LinkShape.WAN);

    private final LinkShape link;

    Projection(LinkShape link) {
        this.link = link;
    }

    public LinkShape link() {
        return link;
    }

    /** Projected seconds of a run that took {@code computeSeconds} with no network cost. */
    public double seconds(double computeSeconds, long onlineBytes, long rounds) {
        return computeSeconds + onlineBytes / 2.0 / link.bytesPerSecond() + rounds * link.oneWayNanos() / 1e9;
    }
}
