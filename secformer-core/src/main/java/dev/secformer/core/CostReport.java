package dev.secformer.core;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The cost of one two-party computation, both parties combined, per phase path:
 * online bytes are what P0 and P1 sent each other (both directions), rounds the larger of the
 * two parties' counts, dealer bytes what both received from the dealer, online time the longer of
 * the two parties' times once the input was there, offline time the longer of the two parties'
 * times preparing the phase's correlations before it (0 for a computation that drew them inline).
 */
public final class CostReport {
    /** Combined cost of one phase. */
    public record Entry(long onlineBytes, long rounds, long dealerBytes, long nanos, long offlineNanos) {
        public static final Entry ZERO = new Entry(0, 0, 0, 0, 0);

        public Entry plus(Entry o) {
            return new Entry(onlineBytes + o.onlineBytes, rounds + o.rounds, dealerBytes + o.dealerBytes, nanos + o.nanos,
                    offlineNanos + o.offlineNanos);
        }

        /** Online time in seconds. */
        public double seconds() {
            return nanos / 1e9;
        }

        public double offlineSeconds() {
            return offlineNanos / 1e9;
        }
    }

    private final Map<String, Entry> byPath;

    private CostReport(Map<String, Entry> byPath) {
        this.byPath = byPath;
    }

    /** Combines the meters' snapshots of party 0 and party 1. */
    public static CostReport combine(Map<String, CostMeter.PhaseCost> p0, Map<String, CostMeter.PhaseCost> p1) {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (String path : union(p0, p1)) {
            CostMeter.PhaseCost a = p0.getOrDefault(path, CostMeter.PhaseCost.ZERO);
            CostMeter.PhaseCost b = p1.getOrDefault(path, CostMeter.PhaseCost.ZERO);
            out.put(path, new Entry(a.bytesSent() + b.bytesSent(), Math.max(a.rounds(), b.rounds()),
                    a.dealerBytes() + b.dealerBytes(), Math.max(a.nanos(), b.nanos()),
                    Math.max(a.offlineNanos(), b.offlineNanos())));
        }
        return new CostReport(out);
    }

    private static Iterable<String> union(Map<String, ?> a, Map<String, ?> b) {
        Map<String, Boolean> keys = new LinkedHashMap<>();
        a.keySet().forEach(k -> keys.put(k, true));
        b.keySet().forEach(k -> keys.put(k, true));
        return keys.keySet();
    }

    /** Cost per full phase path, in order of first use. */
    public Map<String, Entry> byPath() {
        return Map.copyOf(byPath);
    }

    /**
     * Cost summed per phase label at nesting depth {@code depth} (0 = top level); paths shallower
     * than that keep their own name.
     */
    public Map<String, Entry> byLevel(int depth) {
        Map<String, Entry> out = new LinkedHashMap<>();
        byPath.forEach((path, e) -> {
            String[] parts = path.split("/");
            String key = parts[Math.min(depth, parts.length - 1)];
            out.merge(key, e, Entry::plus);
        });
        return out;
    }

    /** Cost of every path whose label at some depth is {@code label}. */
    public Entry forLabel(String label) {
        return byPath.entrySet().stream()
                .filter(en -> java.util.Arrays.asList(en.getKey().split("/")).contains(label))
                .map(Map.Entry::getValue).reduce(Entry.ZERO, Entry::plus);
    }

    public Entry total() {
        return byPath.values().stream().reduce(Entry.ZERO, Entry::plus);
    }

    /** A plain-text table of the top-level phases and the total. */
    public String toTable() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-24s %14s %8s %14s %12s %12s%n",
                "phase", "online bytes", "rounds", "dealer bytes", "offline ms", "online ms"));
        Map<String, Entry> rows = new LinkedHashMap<>(byLevel(0));
        rows.put("total", total());
        rows.forEach((k, e) -> sb.append(String.format(Locale.ROOT, "%-24s %14d %8d %14d %12.1f %12.1f%n",
                k, e.onlineBytes(), e.rounds(), e.dealerBytes(), e.offlineNanos() / 1e6, e.nanos() / 1e6)));
        return sb.toString();
    }

    @Override
    public String toString() {
        return toTable();
    }
}
