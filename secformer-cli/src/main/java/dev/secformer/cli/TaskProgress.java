package dev.secformer.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A long task's progress on stderr (a training stage with its loss, or examples run inside MPC),
 * with the throughput: a bar redrawn in place
 * on a terminal; one plain line every 30 seconds otherwise (logs, pipes), so a long run leaves a
 * readable log rather than a line per step.
 */
final class TaskProgress implements AutoCloseable {
    private static final long LOG_INTERVAL_MILLIS = 30_000;

    private final ProgressBar bar;
    private final long start = System.nanoTime();
    private final long firstStep;
    private final int batchSize;

    TaskProgress(String task, long steps, long firstStep, int batchSize) {
        PrintStream err = System.err;
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(steps).startsFrom(firstStep, java.time.Duration.ZERO);
        if (stderrIsTerminal()) {
            b.setConsumer(new InteractiveConsoleProgressBarConsumer(err)).continuousUpdate();
        } else {
            b.setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis((int) LOG_INTERVAL_MILLIS)
                    .setConsumer(new DelegatingProgressBarConsumer(err::println, 120)).continuousUpdate();
        }
        this.bar = b.build();
        this.firstStep = firstStep;
        this.batchSize = batchSize;
    }

    void step(long step, double loss) {
        double seconds = (System.nanoTime() - start) / 1e9;
        bar.stepTo(step);
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.5f, %.1f examples/s", loss,
                (step - firstStep) * batchSize / Math.max(seconds, 1e-9)));
    }

    /** Progress without a loss: {@code step} examples (of batch size 1) done. */
    void step(long step) {
        double seconds = (System.nanoTime() - start) / 1e9;
        bar.stepTo(step);
        bar.setExtraMessage(String.format(Locale.ROOT, "%.2f s per example", seconds / Math.max(step - firstStep, 1)));
    }

    @Override
    public void close() {
        bar.close();
    }

    /** Whether file descriptor 2 is a terminal (Linux: where /proc/self/fd/2 points). */
    private static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        Path fd2 = Path.of("/proc/self/fd/2");
        try {
            String target = Files.readSymbolicLink(fd2).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null;
        }
    }
}
