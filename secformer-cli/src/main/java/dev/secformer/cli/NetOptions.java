package dev.secformer.cli;

import dev.secformer.net.Endpoint;
import dev.secformer.net.NetLimits;
import dev.secformer.net.Tls;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options shared by the networked commands: certificates, timeout, message limits. */
final class NetOptions {
    @Option(names = "--tls", required = true, paramLabel = "DIR",
            description = "folder of PEM files as `secformer keygen` writes them: ca.pem, NAME.pem, NAME-key.pem")
    Path tlsDir;

    @Option(names = "--timeout", defaultValue = "120", paramLabel = "SECONDS",
            description = "longest wait for a peer's message or connection (default ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Option(names = "--max-message-mb", defaultValue = "2047", paramLabel = "MB",
            description = "largest message accepted from a party or the dealer, in MiB (default ${DEFAULT-VALUE})")
    long maxMessageMb;

    @Option(names = "--max-client-message-mb", defaultValue = "64", paramLabel = "MB",
            description = "largest message accepted from a client, in MiB (its inputs; default ${DEFAULT-VALUE})")
    long maxClientMessageMb;

    Endpoint endpoint(String name) {
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 second");
        }
        NetLimits limits = NetLimits.defaults().withTimeout(Duration.ofSeconds(timeoutSeconds))
                .withMaxMessageBytes(megabytes("--max-message-mb", maxMessageMb))
                .withMaxClientMessageBytes(megabytes("--max-client-message-mb", maxClientMessageMb));
        return new Endpoint(name, new Tls(Tls.Files.in(tlsDir, name)), limits);
    }

    /** A limit in MiB as bytes, at most the largest payload; a clear error below 1. */
    private static long megabytes(String option, long mb) {
        if (mb < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, got " + mb);
        }
        long most = NetLimits.defaults().maxMessageBytes();
        return mb > most >> 20 ? most : mb << 20;
    }

    /** HOST:PORT to an address; a clear error otherwise. */
    static InetSocketAddress address(String option, String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (colon <= 0 || port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(hostPort.substring(0, colon), port);
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(option + " must be HOST:PORT, got \"" + hostPort + "\"");
        }
    }
}
