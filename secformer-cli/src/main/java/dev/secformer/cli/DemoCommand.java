package dev.secformer.cli;

import dev.secformer.core.Beaver;
import dev.secformer.core.CostReport;
import dev.secformer.core.FixedPoint;
import dev.secformer.core.Prg;
import dev.secformer.core.RingMatmul;
import dev.secformer.core.RingTensor;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Sharing;
import dev.secformer.core.TruncatedProducts;
import dev.secformer.core.Truncation;
import dev.secformer.core.TwoPartyRuntime;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A secret-shared two-layer network, y = (x W1 + b1)^2 W2 + b2, computed by P0 and P1 in the
 * in-process simulator and printed beside the same computation in plaintext doubles.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Secure two-party evaluation of a small MLP with a square activation, next to its plaintext result.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--rows", defaultValue = "4", description = "input rows (default ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--width", defaultValue = "64", description = "input and hidden width (default ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the demo's input and weights (default ${DEFAULT-VALUE})")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (rows < 1 || width < 1 || rows * (long) width > 1 << 22) {
            throw new IllegalArgumentException("--rows and --width must be positive with rows x width <= 4194304");
        }
        PrintWriter out = spec.commandLine().getOut();
        FixedPoint fp = FixedPoint.standard();
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] x = random(rnd, rows, width, 1.0);
        double[][] w1 = random(rnd, width, width, 1.0 / Math.sqrt(width));
        double[][] b1 = random(rnd, 1, width, 0.1);
        double[][] w2 = random(rnd, width, 2, 1.0 / Math.sqrt(width));
        double[][] b2 = random(rnd, 1, 2, 0.1);

        double[][] plain = add(matmul(square(add(matmul(x, w1), b1)), w2), b2);

        Prg prg = Prg.fresh();
        RingTensor[][] shares = {
            Sharing.split(encode(fp, x), prg), Sharing.split(encode(fp, w1), prg), Sharing.split(encode(fp, b1).reshape(width), prg),
            Sharing.split(encode(fp, w2), prg), Sharing.split(encode(fp, b2).reshape(2), prg)};
        long start = System.nanoTime();
        TwoPartyRuntime.Result<RingTensor> r = new TwoPartyRuntime().run(p -> {
            SharedTensor[] s = new SharedTensor[shares.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = new SharedTensor(p.id(), shares[i][p.id()]);
            }
            int f = fp.fractionBits();
            SharedTensor h;
            try (var ph = p.phase("linear")) { // x W1 + b1 at 2f bits: truncated on the way into the square
                h = Beaver.matmul(p, s[0], s[1]).add(s[2].mulPublic(fp.one()));
            }
            try (var ph = p.phase("square")) {
                h = Truncation.truncate(p, TruncatedProducts.square(p, h, f), f);
            }
            try (var ph = p.phase("linear")) {
                return Beaver.matmulFixed(p, h, s[3]).add(s[4]).share();
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] secure = fp.decode(Sharing.reconstruct(r.party0(), r.party1()));

        out.printf(Locale.ROOT, "secret-shared MLP y = (x W1 + b1)^2 W2 + b2: x %d x %d, W1 %d x %d, W2 %d x 2 (ring kernel: %s)%n",
                rows, width, width, width, width, RingMatmul.kernelName());
        out.printf(Locale.ROOT, "%-4s %24s %24s%n", "row", "secure (P0+P1)", "plaintext");
        double maxErr = 0;
        for (int i = 0; i < rows; i++) {
            out.printf(Locale.ROOT, "%-4d %11.5f %11.5f  %11.5f %11.5f%n", i, secure[2 * i], secure[2 * i + 1], plain[i][0], plain[i][1]);
            maxErr = Math.max(maxErr, Math.max(Math.abs(secure[2 * i] - plain[i][0]), Math.abs(secure[2 * i + 1] - plain[i][1])));
        }
        CostReport.Entry total = r.cost().total();
        out.printf(Locale.ROOT, "max |secure - plaintext| = %.2e%n", maxErr);
        out.printf(Locale.ROOT, "online bytes %d, rounds %d, dealer bytes %d, time %.3f s%n",
                total.onlineBytes(), total.rounds(), r.dealerBytes(), seconds);
        out.print(r.cost().toTable());
        out.flush();
        return 0;
    }

    private static double[][] random(SplittableRandom rnd, int m, int n, double scale) {
        double[][] a = new double[m][n];
        for (double[] row : a) {
            for (int j = 0; j < n; j++) {
                row[j] = (rnd.nextDouble() * 2 - 1) * scale;
            }
        }
        return a;
    }

    private static RingTensor encode(FixedPoint fp, double[][] a) {
        int n = a[0].length;
        double[] flat = new double[a.length * n];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, flat, i * n, n);
        }
        return fp.encode(flat, a.length, n);
    }

    private static double[][] matmul(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < b.length; k++) {
                for (int j = 0; j < b[0].length; j++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    private static double[][] add(double[][] a, double[][] bias) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
            for (int j = 0; j < c[i].length; j++) {
                c[i][j] += bias[0][j];
            }
        }
        return c;
    }

    private static double[][] square(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
            for (int j = 0; j < c[i].length; j++) {
                c[i][j] *= c[i][j];
            }
        }
        return c;
    }
}
