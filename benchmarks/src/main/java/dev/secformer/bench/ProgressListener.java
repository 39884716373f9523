package dev.secformer.bench;

/** Hears what the harness is doing: a label for the current work and one call per finished step. */
public interface ProgressListener {
    /** What the harness does now, e.g. {@code "puma: run 2/2"}. */
    void working(String what);

    /** One step finished: one secure inference, or the plaintext timing. */
    void stepDone();
}
