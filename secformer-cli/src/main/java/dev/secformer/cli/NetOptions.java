package dev.secformer.cli;

import dev.secformer.net.Endpoint;
import dev.secformer.net.NetLimits;
import dev.secformer.net.Tls;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options shared by the networked commands: certificates, timeout, message limit. */
final class NetOptions {
    @Option(names = "--tls", required = true, paramLabel = "DIR",
            description = "folder of PEM files as `secformer keygen` writes them: ca.pem, NAME.pem, NAME-key.pem")
    Path tlsDir;

    @Option(names = "--timeout", defaultValue = "120", paramLabel = "SECONDS",
            description = "longest wait for a peer's message or connection (default ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Option(names = "--max-message-mb", defaultValue = "2047", paramLabel = "MB",
            description = "largest message accepted from a peer, in MiB (default ${DEFAULT-VALUE})")
    long maxMessageMb;

    Endpoint endpoint(String name) {
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 second");
        }
        NetLimits limits = NetLimits.defaults().withTimeout(Duration.ofSeconds(timeoutSeconds))
                .withMaxMessageBytes(Math.min(NetLimits.defaults().maxMessageBytes(), maxMessageMb << 20));
        return new Endpoint(name, new Tls(Tls.Files.in(tlsDir, name)), limits);
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
