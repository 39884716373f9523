package dev.secformer.bench;

import dev.secformer.core.Party;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import dev.secformer.protocols.Comparison;
import dev.secformer.protocols.CryptenComparison;
import dev.secformer.protocols.CryptenGelu;
import dev.secformer.protocols.CryptenLayerNorm;
import dev.secformer.protocols.DigitComparison;
import dev.secformer.protocols.ExactSoftmax;
import dev.secformer.protocols.GoldschmidtDivision;
import dev.secformer.protocols.InverseSqrt;
import dev.secformer.protocols.LayerNormProtocol;
import dev.secformer.protocols.NewtonInverseSqrt;
import dev.secformer.protocols.NewtonReciprocal;
import dev.secformer.protocols.PumaGelu;
import dev.secformer.protocols.QuadGelu;
import dev.secformer.protocols.SecureGelu;
import dev.secformer.protocols.SecureLayerNorm;
import dev.secformer.protocols.SegmentedReciprocal;
import dev.secformer.protocols.SoftmaxProtocol;
import dev.secformer.protocols.TwoQuadSoftmax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * The protocol table: each nonlinear protocol of SecFormer beside the peers' versions, on
 * BERT-shaped inputs, in ONE run of the in-process simulator: time (best of the repetitions),
 * online bytes, rounds, dealer bytes and error against double precision.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar
 * dev.secformer.bench.ProtocolTable [--out FILE] [--reps N]}; prints a Markdown table.
 */
public final class ProtocolTable {
    private ProtocolTable() {
    }

    public static void main(String[] args) throws IOException {
        Path out = null;
        int reps = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: ProtocolTable [--out FILE] [--reps N]");
                    System.exit(2);
                }
            }
        }
        List<ProtocolMeasurement.Row> rows = new ArrayList<>();
        for (ProtocolCase c : cases()) {
            System.err.println("measuring " + c.op() + " / " + c.protocol() + " " + java.util.Arrays.toString(c.shape()));
            rows.add(ProtocolMeasurement.measure(c, reps));
        }
        String table = markdown(rows);
        System.out.print(table);
        if (out != null) {
            Files.writeString(out, table);
        }
    }

    static String markdown(List<ProtocolMeasurement.Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| operation | protocol | key | shape | time ms | online MB | rounds | dealer MB | max abs err | max rel err |\n");
        sb.append("|---|---|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (ProtocolMeasurement.Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.1f | %.3f | %d | %.3f | %.2e | %.2e |%n",
                    r.op(), r.protocol(), r.key(), r.shape(), r.millis(), r.onlineBytes() / 1e6, r.rounds(),
                    r.dealerBytes() / 1e6, r.maxAbsError(), r.maxRelError()));
        }
        return sb.toString();
    }

    static List<ProtocolCase> cases() {
        List<ProtocolCase> cases = new ArrayList<>();
        DoubleUnaryOperator gelu = dev.secformer.nn.ReferenceBert::exactGelu;
        for (var g : List.of(
                java.util.Map.entry("SecFormer (segments + Fourier erf)", (dev.secformer.protocols.GeluProtocol) new SecureGelu()),
                java.util.Map.entry("PUMA (pieces, degree 3 and 6)", new PumaGelu()),
                java.util.Map.entry("CrypTen (erf Taylor, 8 terms)", new CryptenGelu()),
                java.util.Map.entry("MPCFormer Quad (needs distillation)", new QuadGelu()))) {
            cases.add(elementwise("gelu-" + firstWord(g.getKey()), "GeLU on [-8, 8]", g.getKey(), new int[] {128, 3072}, 8, gelu,
                    g.getValue()::apply));
        }
        for (Comparison cmp : List.of(new DigitComparison(), new CryptenComparison())) {
            String name = cmp instanceof DigitComparison ? "SecFormer (digit tables, l = 32)" : "CrypTen (A2B + carry circuit)";
            cases.add(elementwise("less-than-zero-" + firstWord(name), "x < 0", name, new int[] {128, 768}, 100, x -> x < 0 ? 1 : 0,
                    (p, x) -> cmp.lessThanZero(p, x).mulPublic(p.fixedPoint().one())));
        }
        for (int n : new int[] {128, 512}) {
            int heads = n == 128 ? 12 : 4;
            cases.add(softmax("softmax" + n + "-secformer", "SecFormer (2Quad + segmented reciprocal)", new TwoQuadSoftmax(), heads, n, true));
            cases.add(softmax("softmax" + n + "-crypten", "CrypTen (max, exp, Newton)", new ExactSoftmax(), heads, n, false));
        }
        cases.add(layerNorm("layernorm-secformer", "SecFormer (segmented inverse sqrt)", new SecureLayerNorm()));
        cases.add(layerNorm("layernorm-crypten", "CrypTen (sqrt, Newton reciprocal)", new CryptenLayerNorm()));
        GoldschmidtDivision gold = new GoldschmidtDivision(32);
        cases.add(positive("reciprocal-secformer", "1/x on [1, 32]", "SecFormer (Goldschmidt)", 1, 32, x -> 1 / x,
                (p, x) -> gold.reciprocal(p, x, 32).toFixedPoint(p, p.fixedPoint().fractionBits())));
        SegmentedReciprocal segments = new SegmentedReciprocal(32);
        cases.add(positive("reciprocal-segments", "1/x on [1, 32]", "SecFormer suite (a line per 1/32 octave, as in 2Quad)", 1, 32,
                x -> 1 / x, (p, x) -> segments.reciprocal(p, x, filled(x.size(), 32)).toFixedPoint(p, p.fixedPoint().fractionBits())));
        cases.add(positive("reciprocal-crypten", "1/x on [1, 32]", "CrypTen (Newton)", 1, 32, x -> 1 / x,
                (p, x) -> new NewtonReciprocal().apply(p, x)));
        InverseSqrt isqrt = new InverseSqrt(1000);
        cases.add(positive("inverse-sqrt-secformer", "1/sqrt(x) on [0.2, 150]", "SecFormer (a line per 1/32 octave)", 0.2, 150, x -> 1 / Math.sqrt(x),
                (p, x) -> isqrt.apply(p, x, 150)));
        cases.add(positive("inverse-sqrt-crypten", "1/sqrt(x) on [0.2, 150]", "CrypTen (Newton)", 0.2, 150, x -> 1 / Math.sqrt(x),
                (p, x) -> new NewtonInverseSqrt().apply(p, x)));
        return cases;
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private interface Body {
        SharedTensor run(Party p, SharedTensor x);
    }

    private static String firstWord(String protocol) {
        return protocol.substring(0, protocol.indexOf(' ')).toLowerCase(Locale.ROOT);
    }

    /** The case named {@code key}; the exception lists the keys. */
    static ProtocolCase byKey(String key) {
        List<ProtocolCase> all = cases();
        return all.stream().filter(c -> c.key().equals(key)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "unknown protocol case \"" + key + "\"; known: " + all.stream().map(ProtocolCase::key).toList()));
    }

    private static ProtocolCase elementwise(String key, String op, String protocol, int[] shape, double bound,
                                            DoubleUnaryOperator f, Body body) {
        int n = shape[0] * shape[1];
        double[] x = new double[n];
        SplittableRandom rnd = new SplittableRandom(op.hashCode());
        for (int i = 0; i < n; i++) {
            x[i] = (rnd.nextDouble() * 2 - 1) * bound;
        }
        return simple(key, op, protocol, shape, x, f, body, 1e-2);
    }

    private static ProtocolCase positive(String key, String op, String protocol, double lo, double hi, DoubleUnaryOperator f, Body body) {
        int n = 16384;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = lo * Math.pow(hi / lo, (double) i / (n - 1));
        }
        return simple(key, op, protocol, new int[] {n}, x, f, body, 0);
    }

    private static ProtocolCase simple(String key, String op, String protocol, int[] shape, double[] x, DoubleUnaryOperator f,
                                       Body body, double floor) {
        return new ProtocolCase() {
            public String key() { return key; }
            public String op() { return op; }
            public String protocol() { return protocol; }
            public int[] shape() { return shape.clone(); }
            public double[] input() { return x.clone(); }
            public SharedTensor run(Party p, SharedTensor in) { return body.run(p, in); }
            public double[] oracle(double[] in) {
                double[] o = new double[in.length];
                for (int i = 0; i < o.length; i++) {
                    o[i] = f.applyAsDouble(in[i]);
                }
                return o;
            }
            public double relativeFloor() { return Math.max(floor, 1e-12); }
        };
    }

    private static ProtocolCase softmax(String key, String protocol, SoftmaxProtocol s, int heads, int n, boolean twoQuad) {
        int[] shape = {heads, n, n};
        int size = heads * n * n;
        double[] x = new double[size];
        SplittableRandom rnd = new SplittableRandom(n);
        for (int i = 0; i < size; i++) {
            x[i] = (rnd.nextDouble() * 2 - 1) * 4;
        }
        long[] mask = new long[size];
        java.util.Arrays.fill(mask, 1);
        return new ProtocolCase() {
            public String key() { return key; }
            public String op() { return "softmax, rows of " + n + (twoQuad ? " (2Quad)" : ""); }
            public String protocol() { return protocol; }
            public int[] shape() { return shape.clone(); }
            public double[] input() { return x.clone(); }
            public SharedTensor run(Party p, SharedTensor in) { return s.apply(p, in, RingTensor.of(mask.clone(), shape)); }
            public double[] oracle(double[] in) {
                double[] o = new double[in.length];
                for (int r = 0; r < in.length / n; r++) {
                    double sum = 0;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        max = Math.max(max, in[r * n + j]);
                    }
                    for (int j = 0; j < n; j++) {
                        double v = twoQuad ? Math.pow(in[r * n + j] + 5, 2) : Math.exp(in[r * n + j] - max);
                        o[r * n + j] = v;
                        sum += v;
                    }
                    for (int j = 0; j < n; j++) {
                        o[r * n + j] /= sum;
                    }
                }
                return o;
            }
            public double relativeFloor() { return 1.0 / n; }
        };
    }

    private static ProtocolCase layerNorm(String key, String protocol, LayerNormProtocol ln) {
        int rows = 128;
        int d = 768;
        double[] x = new double[rows * d];
        SplittableRandom rnd = new SplittableRandom(5);
        for (int r = 0; r < rows; r++) {
            double std = Math.sqrt(0.2 * Math.pow(750, (double) r / (rows - 1))); // variances 0.2 .. 150
            for (int j = 0; j < d; j++) {
                x[r * d + j] = (rnd.nextDouble() * 2 - 1) * Math.sqrt(3) * std + 0.5;
            }
        }
        return new ProtocolCase() {
            public String key() { return key; }
            public String op() { return "LayerNorm, row variances 0.2..150"; }
            public String protocol() { return protocol; }
            public int[] shape() { return new int[] {rows, d}; }
            public double[] input() { return x.clone(); }
            public SharedTensor run(Party p, SharedTensor in) {
                SharedTensor gamma = p.sharePublic(RingTensor.filled(p.fixedPoint().one(), d));
                SharedTensor beta = p.sharePublic(RingTensor.zeros(d));
                return ln.apply(p, in, gamma, beta);
            }
            public double[] oracle(double[] in) {
                double[] o = new double[in.length];
                for (int r = 0; r < rows; r++) {
                    double mean = 0;
                    for (int j = 0; j < d; j++) {
                        mean += in[r * d + j];
                    }
                    mean /= d;
                    double var = 0;
                    for (int j = 0; j < d; j++) {
                        var += Math.pow(in[r * d + j] - mean, 2);
                    }
                    var /= d;
                    for (int j = 0; j < d; j++) {
                        o[r * d + j] = (in[r * d + j] - mean) / Math.sqrt(var);
                    }
                }
                return o;
            }
            public double relativeFloor() { return 1; }
        };
    }
}
