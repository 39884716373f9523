package dev.secformer.bench;

import dev.secformer.nn.secure.BertInference;
import dev.secformer.service.LoopbackBert;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A service under load: {@code clients} clients, each sending {@code requests} inferences one after
 * another, against one deployment whose offline phase refills in the background as it can.
 *
 * @param clients       concurrent clients
 * @param requests      inferences per client
 * @param seconds       wall time of the whole load
 * @param perSecond     inferences per second
 * @param p50Seconds    median client latency
 * @param p99Seconds    99th percentile client latency
 * @param preparedShare share of the inferences that ran on correlations prepared ahead
 * @param heap          heap peak and in use after the load
 */
record SustainedLoad(int clients, int requests, double seconds, double perSecond, double p50Seconds, double p99Seconds,
                     double preparedShare, HeapUsage heap) {

    static SustainedLoad run(LoopbackBert net, BenchmarkInput in, int clients, int requests)
            throws Exception {
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        int[] prepared = new int[1];
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        HeapUsage.resetPeak();
        long start = System.nanoTime();
        try {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                all.add(CompletableFuture.runAsync(() -> {
                    for (int r = 0; r < requests; r++) {
                        long t0 = System.nanoTime();
                        BertInference a = net.bert().infer(in.tokenIds(), in.typeIds(), in.valid());
                        latencies.add((System.nanoTime() - t0) / 1e9);
                        if (a.cost().prepared()) {
                            synchronized (prepared) {
                                prepared[0]++;
                            }
                        }
                    }
                }, pool));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        } finally {
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Double> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        int n = sorted.size();
        return new SustainedLoad(clients, requests, seconds, n / seconds, percentile(sorted, 0.50), percentile(sorted, 0.99),
                (double) prepared[0] / n, HeapUsage.sample());
    }

    /** The nearest-rank percentile of sorted values. */
    private static double percentile(List<Double> sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
