package dev.secformer.bench;

import dev.secformer.core.CostReport;
import dev.secformer.core.TwoPartyRuntime;
import dev.secformer.nn.ReferenceBert;
import dev.secformer.nn.secure.InProcessBert;
import dev.secformer.nn.secure.PlainBertWeights;
import dev.secformer.nn.secure.ProtocolSuites;
import dev.secformer.nn.secure.SyntheticBert;
import dev.secformer.protocols.SecureGelu;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * End-to-end secure BERT in the in-process simulator on synthetic weights of a standard shape:
 * per layer kind and in total, online bytes, rounds, dealer bytes and time, the peak heap, the
 * plain-Java double reference's time of the same model, and the LAN / WAN projections
 * T = compute + bytes / bandwidth + rounds x latency (LAN 1 GB/s, 0.5 ms; WAN 100 MB/s, 40 ms).
 *
 * <p>Usage: {@code BertBenchmark [base|large|tiny] [seq] [suite] [runs]}; suites: secformer,
 * accurate, crypten, puma, mpcformer.
 */
public final class BertBenchmark {
    private BertBenchmark() {
    }

    public static void main(String[] args) {
        String shape = args.length > 0 ? args[0] : "base";
        int seq = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        String suite = args.length > 2 ? args[2] : "secformer";
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        SyntheticBert w = switch (shape) {
            case "base" -> SyntheticBert.base(1);
            case "large" -> SyntheticBert.large(1);
            case "tiny" -> new SyntheticBert(128, 2, 2, 512, 30522, 512, 2, 1);
            default -> throw new IllegalArgumentException("shape must be base, large or tiny");
        };
        int[][] ids = new int[1][seq];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < seq; i++) {
            ids[0][i] = r.nextInt(w.vocabSize());
        }
        int[][] types = new int[1][seq];
        boolean[][] valid = new boolean[1][seq];
        java.util.Arrays.fill(valid[0], true);

        long t0 = System.nanoTime();
        new ReferenceBert(w, ReferenceBert.Attention.TWO_QUAD, new SecureGelu()::reference, 1e-12).forward(ids, types, valid);
        double plainSeconds = (System.nanoTime() - t0) / 1e9;

        try (InProcessBert bert = new InProcessBert(w, ProtocolSuites.named(suite), new TwoPartyRuntime())) {
            InProcessBert.Inference best = null;
            for (int i = 0; i < runs; i++) {
                InProcessBert.Inference inf = bert.infer(ids, types, valid);
                System.err.printf(Locale.ROOT, "run %d: %.2f s%n", i, inf.seconds());
                if (best == null || inf.seconds() < best.seconds()) {
                    best = inf;
                }
            }
            report(shape, seq, suite, w, best, bert.loadCost(), plainSeconds);
        }
    }

    private static void report(String shape, int seq, String suite, PlainBertWeights w, InProcessBert.Inference inf,
                               CostReport load, double plainSeconds) {
        long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        long peak = 0;
        for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf(Locale.ROOT, "## BERT-%s (%d layers, hidden %d), seq %d, batch 1, suite %s%n%n",
                shape, w.layers(), w.hidden(), seq, suite);
        System.out.println("| layer kind | online MB | rounds | dealer MB | time s |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (Map.Entry<String, CostReport.Entry> e : inf.cost().byLevel(0).entrySet()) {
            CostReport.Entry c = e.getValue();
            System.out.printf(Locale.ROOT, "| %s | %.1f | %d | %.1f | %.2f |%n", e.getKey(), c.onlineBytes() / 1e6, c.rounds(),
                    c.dealerBytes() / 1e6, c.seconds());
        }
        CostReport.Entry t = inf.cost().total();
        System.out.printf(Locale.ROOT, "| **total** | **%.1f** | **%d** | **%.1f** | **%.2f** |%n%n", t.onlineBytes() / 1e6,
                t.rounds(), t.dealerBytes() / 1e6, inf.seconds());
        double lan = inf.seconds() + t.onlineBytes() / 1e9 + t.rounds() * 0.5e-3;
        double wan = inf.seconds() + t.onlineBytes() / 1e8 + t.rounds() * 40e-3;
        System.out.printf(Locale.ROOT, "- client input %.1f MB, output %.2f MB; model load (once) %.1f MB online%n",
                inf.inputBytes() / 1e6, inf.outputBytes() / 1e6, load.total().onlineBytes() / 1e6);
        System.out.printf(Locale.ROOT, "- dealer time (inline, part of the total) %.2f s%n", inf.dealerNanos() / 1e9);
        System.out.printf(Locale.ROOT, "- plain-Java double reference of the same model: %.2f s; secure / reference = %.1fx%n",
                plainSeconds, inf.seconds() / plainSeconds);
        System.out.printf(Locale.ROOT, "- projection: LAN %.2f s, WAN %.2f s%n", lan, wan);
        System.out.printf(Locale.ROOT, "- heap: peak %.2f GB (in use at the end %.2f GB)%n", peak / 1e9, heap / 1e9);
    }
}
