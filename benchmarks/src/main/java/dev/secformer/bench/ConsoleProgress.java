package dev.secformer.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The harness's progress on stderr. On a terminal: a bar redrawn in place every second (elapsed
 * time, estimate, current work). Otherwise (CI logs, pipes, files): one plain ASCII line each time a
 * step finishes, with no carriage returns or colour codes, so a log gets a handful of lines rather
 * than a redraw per second.
 */
final class ConsoleProgress implements ProgressListener, AutoCloseable {
    private static final String TASK = "secure BERT";
    private static final int LOG_LINE_WIDTH = 100;

    private final ProgressBar bar;

    ConsoleProgress(long steps) {
        PrintStream err = System.err;
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(TASK).setInitialMax(steps);
        if (stderrIsTerminal()) {
            b.setConsumer(new InteractiveConsoleProgressBarConsumer(err)).continuousUpdate();
        } else {
            // Without continuousUpdate the bar only renders when a step finished (and at start and close).
            b.setStyle(ProgressBarStyle.ASCII).setConsumer(new DelegatingProgressBarConsumer(new LogLines(err), LOG_LINE_WIDTH));
        }
        this.bar = b.build();
    }

    @Override
    public void working(String what) {
        bar.setExtraMessage(what);
    }

    @Override
    public void stepDone() {
        bar.step();
    }

    @Override
    public void close() {
        bar.setExtraMessage("done");
        bar.close();
    }

    /** Prints each rendering as a line, but not the same line twice in a row (the close re-renders the last step). */
    private static final class LogLines implements Consumer<String> {
        private final PrintStream out;
        private String last;

        LogLines(PrintStream out) {
            this.out = out;
        }

        @Override
        public void accept(String line) {
            if (!line.equals(last)) {
                out.println(line);
                last = line;
            }
        }
    }

    /**
     * Whether file descriptor 2 is a terminal. Java has no isatty; on Linux /proc tells where fd 2
     * points. Elsewhere {@link System#console()} (stdin and stdout are a terminal) stands in.
     */
    private static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        Path fd2 = Path.of("/proc/self/fd/2");
        if (Files.isSymbolicLink(fd2)) {
            try {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException e) {
                return false;
            }
        }
        return System.console() != null;
    }
}
