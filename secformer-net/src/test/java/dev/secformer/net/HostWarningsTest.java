package dev.secformer.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HostWarningsTest {
    private long now;
    private final HostWarnings warnings = new HostWarnings(3, Duration.ofSeconds(60), () -> now);

    private static InetSocketAddress host(int i, int port) {
        return new InetSocketAddress("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), port);
    }

    @Test
    void aHostGetsItsBurstPerWindowAndHearsHowManyWereSuppressed() {
        for (int i = 0; i < 3; i++) {
            assertEquals(0, warnings.admit(host(1, 1000 + i)), "warning " + i + " of the burst");
        }
        assertEquals(-1, warnings.admit(host(1, 2000)));
        assertEquals(-1, warnings.admit(host(1, 2001)), "any port of the same host counts");
        now += Duration.ofSeconds(59).toNanos();
        assertEquals(-1, warnings.admit(host(1, 2002)), "still inside the window");
        now += Duration.ofSeconds(1).toNanos();
        assertEquals(3, warnings.admit(host(1, 2003)), "the next window's first warning reports the three suppressed");
        assertEquals(0, warnings.admit(host(1, 2004)));
    }

    @Test
    void hostsHaveBudgetsOfTheirOwn() {
        for (int i = 0; i < 5; i++) {
            warnings.admit(host(1, 1000));
        }
        assertEquals(0, warnings.admit(host(2, 1000)));
    }

    @Test
    void theHostsRememberedAreBounded() {
        for (int i = 0; i < 4; i++) {
            warnings.admit(host(0, 1000));
        }
        assertEquals(-1, warnings.admit(host(0, 1000)));
        for (int i = 1; i <= HostWarnings.MAX_HOSTS; i++) {
            warnings.admit(host(i, 1000));
        }
        assertEquals(0, warnings.admit(host(0, 1000)), "the first host was forgotten, with what it had used");
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new HostWarnings(0, Duration.ofSeconds(1), System::nanoTime));
        assertThrows(IllegalArgumentException.class, () -> new HostWarnings(1, Duration.ZERO, System::nanoTime));
    }

    @Test
    void causesAreDescribedInOneShortLine() {
        NotSslRecordException notTls = new NotSslRecordException("not an SSL/TLS record: " + "ab".repeat(5000));
        assertEquals("not a TLS connection", HostWarnings.describe(notTls));
        assertEquals("not a TLS connection", HostWarnings.describe(new DecoderException(notTls)));
        assertEquals("the connection closed", HostWarnings.describe(new ClosedChannelException()));
        assertEquals("IllegalStateException", HostWarnings.describe(new IllegalStateException()));
        assertEquals("x".repeat(200) + "...", HostWarnings.describe(new RuntimeException("x".repeat(201))));
        assertEquals("certificate expired", HostWarnings.describe(new RuntimeException("certificate expired")));
    }
}
