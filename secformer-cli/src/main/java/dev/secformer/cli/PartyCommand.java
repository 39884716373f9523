package dev.secformer.cli;

import dev.secformer.core.FixedPoint;
import dev.secformer.net.Endpoint;
import dev.secformer.net.LinkShape;
import dev.secformer.net.PartyServer;
import dev.secformer.nn.secure.LoadedBert;
import dev.secformer.nn.secure.ProtocolSuites;
import dev.secformer.nn.secure.ShareFile;
import dev.secformer.service.BertService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A computing party as a long-running server. */
@Command(name = "party", mixinStandardHelpOptions = true,
        description = "Run computing party 0 or 1: load its model share once, then serve secure inferences (until stopped).")
final class PartyCommand implements Callable<Integer> {
    @Option(names = "--id", required = true, description = "0 or 1")
    int id;

    @Option(names = "--shares", required = true, paramLabel = "FILE", description = "this party's share file (split-model)")
    Path shares;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "address to listen on (default 127.0.0.1:7400 + id)")
    String listen;

    @Option(names = "--peer", paramLabel = "HOST:PORT", description = "party 1's address (party 0 only)")
    String peer;

    @Option(names = "--dealer", defaultValue = "127.0.0.1:7300", paramLabel = "HOST:PORT",
            description = "the dealer's address (default ${DEFAULT-VALUE})")
    String dealer;

    @Option(names = "--mode", defaultValue = "accurate",
            description = "protocol suite, the same at both parties: accurate or secformer (default ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--max-mean-term", paramLabel = "X",
            description = "secformer mode: the largest 2Quad mean term the model needs, as a distilled model's "
                    + "secformer.json states (twoQuadMaxMeanTerm); the same at both parties (default: the suite's range)")
    Double maxMeanTerm;

    @Option(names = "--max-sessions", defaultValue = "8", description = "concurrent sessions (default ${DEFAULT-VALUE})")
    int maxSessions;

    @Option(names = "--prepare-ahead", defaultValue = "1", paramLabel = "N",
            description = "inferences per input shape whose correlations are prepared before they are asked for, in the "
                    + "background (the offline phase; memory: each holds this party's correlated randomness of one "
                    + "inference); 0 draws them while the client waits (default ${DEFAULT-VALUE})")
    int prepareAhead;

    @Option(names = "--link", paramLabel = "LINK",
            description = "emulate a network on this party's sends to the other party: lan (1 GB/s, 0.5 ms round trip), "
                    + "wan (100 MB/s, 40 ms) or RTT_MS,MBYTES_PER_S; give both parties the same (default: the network as it is)")
    String link;

    @Mixin
    NetOptions net;

    @Override
    public Integer call() throws Exception {
        if (id != 0 && id != 1) {
            throw new IllegalArgumentException("--id must be 0 or 1, got " + id);
        }
        if ((id == 0) != (peer != null)) {
            throw new IllegalArgumentException(id == 0 ? "party 0 needs --peer (party 1's HOST:PORT)" : "only party 0 takes --peer");
        }
        if (prepareAhead < 0) {
            throw new IllegalArgumentException("--prepare-ahead must be at least 0, got " + prepareAhead);
        }
        if (maxMeanTerm != null && (!mode.equals("secformer") || !(maxMeanTerm > 0))) {
            throw new IllegalArgumentException("--max-mean-term takes a positive number and only with --mode secformer");
        }
        LinkShape linkShape = link == null ? null : LinkShape.parse(link); // a bad value fails before the share file is read
        ShareFile.Share share = ShareFile.read(shares);
        if (share.party() != id) {
            throw new IllegalArgumentException(shares + " is party " + share.party() + "'s share, not party " + id + "'s");
        }
        PartyServer.Config config = new PartyServer.Config(id,
                NetOptions.address("--listen", listen == null ? "127.0.0.1:" + (7400 + id) : listen),
                peer == null ? null : NetOptions.address("--peer", peer), NetOptions.address("--dealer", dealer),
                maxSessions, FixedPoint.standard(), prepareAhead, linkShape);
        Endpoint endpoint = net.endpoint("party" + id);
        PartyServer<LoadedBert> server = new PartyServer<>(config, endpoint,
                new BertService(share.shares(), maxMeanTerm == null ? ProtocolSuites.named(mode)
                        : ProtocolSuites.secformer(maxMeanTerm)));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            endpoint.close();
            stopped.countDown();
        }));
        server.start(Duration.ofSeconds(net.timeoutSeconds));
        stopped.await();
        return 0;
    }
}
