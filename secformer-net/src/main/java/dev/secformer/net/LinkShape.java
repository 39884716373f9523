package dev.secformer.net;

import java.util.Locale;

/**
 * An emulated network link between the two parties: each direction carries at most
 * {@code bytesPerSecond} and delivers every message half a round-trip time after it left the
 * sender's rate limiter. Applied to the party-to-party connection only (both parties shape what they
 * send), on the encrypted bytes, so that a loopback deployment behaves like a LAN or a WAN.
 *
 * @param rttMillis      round-trip time; a message takes half of it one way
 * @param bytesPerSecond bandwidth of each direction
 */
public record LinkShape(double rttMillis, double bytesPerSecond) {
    /** 1 GB/s, 0.5 ms round trip. */
    public static final LinkShape LAN = new LinkShape(0.5, 1e9);
    /** 100 MB/s, 40 ms round trip. */
    public static final LinkShape WAN = new LinkShape(40, 1e8);

    public LinkShape {
        if (!(rttMillis >= 0) || !(bytesPerSecond > 0) || Double.isInfinite(rttMillis) || Double.isInfinite(bytesPerSecond)) {
            throw new IllegalArgumentException("a link needs a round-trip time >= 0 and a bandwidth > 0, got "
                    + rttMillis + " ms and " + bytesPerSecond + " bytes/s");
        }
    }

    /** {@code lan}, {@code wan} or {@code RTT_MS,MBYTES_PER_S} (e.g. {@code 40,100}). */
    public static LinkShape parse(String spec) {
        switch (spec.toLowerCase(Locale.ROOT)) {
            case "lan":
                return LAN;
            case "wan":
                return WAN;
            default:
                String[] parts = spec.split(",");
                if (parts.length != 2) {
                    throw new IllegalArgumentException("a link is lan, wan or RTT_MS,MBYTES_PER_S (e.g. 40,100), not '" + spec + "'");
                }
                try {
                    return new LinkShape(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()) * 1e6);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("a link is lan, wan or RTT_MS,MBYTES_PER_S (e.g. 40,100), not '" + spec + "'");
                }
        }
    }

    /** One way: half the round trip. */
    public long oneWayNanos() {
        return Math.round(rttMillis * 1e6 / 2);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s ms RTT, %s MB/s", trim(rttMillis), trim(bytesPerSecond / 1e6));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
