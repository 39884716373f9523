package dev.secformer.cli;

import dev.secformer.net.KeyGen;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Makes a development CA and certificates for party0, party1, the dealer and clients. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Make a development CA and mutual-TLS certificates for party0, party1, dealer and clients.")
final class KeygenCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder to write (must not hold certificates yet)")
    Path out;

    @Option(names = "--host", split = ",", defaultValue = "127.0.0.1,localhost", paramLabel = "NAME",
            description = "names or addresses by which the servers are dialled (default ${DEFAULT-VALUE})")
    List<String> hosts;

    @Option(names = "--client", split = ",", defaultValue = "default", paramLabel = "NAME",
            description = "client names; each gets client-NAME.pem (default ${DEFAULT-VALUE})")
    List<String> clients;

    @Option(names = "--days", defaultValue = "365", description = "validity in days (default ${DEFAULT-VALUE})")
    int days;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (Files.exists(out.resolve("ca.pem"))) {
            throw new IllegalArgumentException(out + " already holds a CA (ca.pem): choose another folder");
        }
        List<Path> files = KeyGen.generate(out, hosts, clients, Duration.ofDays(days));
        spec.commandLine().getOut().printf("wrote %d files to %s (private keys readable by you only)%n", files.size(), out);
        return 0;
    }
}
