package dev.secformer.bench;

import dev.secformer.core.CostReport;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/**
 * PNG charts of a harness run, one bar per suite, each bar stacked by layer kind with its total
 * under it: online MB, time and rounds. Drawn off screen by XChart's {@link BitmapEncoder}, so no
 * display is needed (the harness runs with {@code java.awt.headless=true}).
 */
final class CostCharts {
    static final String ONLINE_MB = "online-mb-per-suite.png";
    static final String TIME = "time-per-suite.png";
    static final String ROUNDS = "rounds-per-suite.png";

    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;

    private CostCharts() {
    }

    /** Writes the three charts into {@code dir} (created if missing) and returns their paths. */
    static List<Path> write(BenchmarkResult r, Path dir) throws IOException {
        Files.createDirectories(dir);
        String model = String.format(Locale.ROOT, "%s, seq %d, batch %d", r.model().title(), r.seq(), r.batch());
        return List.of(
                save(stacked(r, "Online communication per suite (" + model + ")", "online MB (10^6 bytes, P0 <-> P1)",
                        "#,##0.0", " MB", e -> e.onlineBytes() / 1e6), dir.resolve(ONLINE_MB)),
                save(stacked(r, "Time per suite, " + r.transport().description() + " (" + model + ")", "time s (per phase, slower party)",
                        "#,##0.00", " s", CostReport.Entry::seconds), dir.resolve(TIME)),
                save(stacked(r, "Rounds per suite (" + model + ")", "rounds (sequential steps)",
                        "#,##0", " rounds", e -> e.rounds()), dir.resolve(ROUNDS)));
    }

    /**
     * One bar per suite, stacked by layer kind. The bar's total goes into its axis label: XChart can
     * print stack sums only together with a label on every segment, which the thin ones can't hold.
     */
    private static CategoryChart stacked(BenchmarkResult r, String title, String yTitle, String pattern, String unit,
                                         ToDoubleFunction<CostReport.Entry> figure) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("protocol suite (total)").yAxisTitle(yTitle).build();
        CategoryStyler style = chart.getStyler();
        style.setStacked(true).setAvailableSpaceFill(0.55);
        style.setYAxisDecimalPattern(pattern);
        style.setLegendPosition(Styler.LegendPosition.OutsideE);
        style.setChartBackgroundColor(Color.WHITE);
        DecimalFormat total = new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT));
        List<String> bars = r.suites().stream().map(s -> s.suite() + " (" + total.format(s.perLayerKind().values()
                .stream().mapToDouble(figure).sum()) + unit + ")").toList();
        for (String kind : layerKinds(r)) {
            List<Double> values = new ArrayList<>();
            for (SuiteResult s : r.suites()) {
                values.add(figure.applyAsDouble(s.perLayerKind().getOrDefault(kind, CostReport.Entry.ZERO)));
            }
            chart.addSeries(kind, bars, values);
        }
        return chart;
    }

    /** Every suite's layer kinds, in order of first appearance (a stacked chart needs each series on every bar). */
    private static Set<String> layerKinds(BenchmarkResult r) {
        Set<String> kinds = new LinkedHashSet<>();
        r.suites().forEach(s -> kinds.addAll(s.perLayerKind().keySet()));
        return kinds;
    }

    private static Path save(CategoryChart chart, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        return file;
    }
}
