package dev.secformer.cli;

import dev.secformer.net.DealerServer;
import dev.secformer.net.Endpoint;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The dealer as a long-running server. */
@Command(name = "dealer", mixinStandardHelpOptions = true,
        description = "Run the dealer: seeds and correlated randomness for both parties (until stopped).")
final class DealerCommand implements Callable<Integer> {
    @Option(names = "--listen", defaultValue = "127.0.0.1:7300", paramLabel = "HOST:PORT",
            description = "address to listen on (default ${DEFAULT-VALUE})")
    String listen;

    @Mixin
    NetOptions net;

    @Override
    public Integer call() throws InterruptedException {
        Endpoint endpoint = net.endpoint("dealer");
        DealerServer server = new DealerServer(endpoint, NetOptions.address("--listen", listen));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            endpoint.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
