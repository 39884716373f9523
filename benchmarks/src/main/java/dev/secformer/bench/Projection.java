package dev.secformer.bench;

/**
 * DESIGN's projection of a measured in-memory run onto a network:
 * T = compute + bytes / bandwidth + rounds x latency.
 */
public enum Projection {
    /** 1 GB/s, 0.5 ms. */
    LAN(1e9, 0.5e-3),
    /** 100 MB/s, 40 ms. */
    WAN(1e8, 40e-3);

    private final double bytesPerSecond;
    private final double latencySeconds;

    Projection(double bytesPerSecond, double latencySeconds) {
        this.bytesPerSecond = bytesPerSecond;
        this.latencySeconds = latencySeconds;
    }

    /** Projected seconds of a run that took {@code computeSeconds} in memory. */
    public double seconds(double computeSeconds, long onlineBytes, long rounds) {
        return computeSeconds + onlineBytes / bytesPerSecond + rounds * latencySeconds;
    }
}
