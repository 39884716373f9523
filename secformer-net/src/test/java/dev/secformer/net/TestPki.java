package dev.secformer.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A development PKI made once per test JVM: a CA and certificates for every role, for 127.0.0.1. */
final class TestPki {
    static final Path DIR = make();

    private TestPki() {
    }

    private static Path make() {
        try {
            Path dir = Files.createTempDirectory("secformer-pki");
            KeyGen.generate(dir, List.of("127.0.0.1", "localhost"), List.of("alice"), Duration.ofDays(1));
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Tls tls(String name) {
        return new Tls(Tls.Files.in(DIR, name));
    }
}
