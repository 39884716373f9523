package dev.secformer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DemoCommandTest {
    @Test
    void secureResultMatchesPlaintext() {
        CliRun r = CliRun.of("demo", "--rows", "3", "--width", "32", "--seed", "9");
        assertEquals(0, r.code(), r.err());
        Matcher m = Pattern.compile("max \\|secure - plaintext\\| = (\\S+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        double err = Double.parseDouble(m.group(1));
        assertTrue(err < 1e-3, "error " + err);
        assertTrue(r.out().contains("rounds 5"), r.out()); // 3 products, 2 exact truncations that are not on the way into one
    }

    @Test
    void badArgumentsGiveAClearMessageAndExitCode() {
        CliRun bad = CliRun.of("demo", "--rows", "0");
        assertEquals(1, bad.code());
        assertTrue(bad.err().startsWith("secformer: --rows and --width must be positive"), bad.err());
        CliRun unknown = CliRun.of("demo", "--nope");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("Unknown option: '--nope'"), unknown.err());
        assertEquals(2, CliRun.of().code());
    }
}
