package dev.secformer.net;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.secformer.core.ChannelException;
import dev.secformer.core.Correlation;
import dev.secformer.core.DealerLink;
import dev.secformer.core.Prg;
import dev.secformer.net.proto.Hello;
import dev.secformer.net.proto.SeedGrant;
import java.net.InetSocketAddress;

/**
 * A party's connection to the {@link DealerServer} for one session: the seeds it was granted and,
 * for party 1, the {@link DealerLink} that fetches corrections inline (one request-response per draw
 * with derived parts; see {@link OfflineDealer} for corrections streamed ahead).
 */
public final class RemoteDealer implements DealerLink, AutoCloseable {
    private final FrameConnection connection;
    private final ByteString modelLoad;
    private final byte[] sessionSeed;
    private final byte[] persistentSeed;
    private final byte[] offlineSeed;

    private RemoteDealer(FrameConnection connection, SeedGrant grant) {
        this.connection = connection;
        this.modelLoad = grant.getModelLoad();
        this.sessionSeed = grant.getSessionSeed().toByteArray();
        this.persistentSeed = grant.getPersistentSeed().toByteArray();
        this.offlineSeed = grant.getOfflineSeed().toByteArray();
        if (sessionSeed.length != Prg.SEED_BYTES || persistentSeed.length != Prg.SEED_BYTES
                || offlineSeed.length != Prg.SEED_BYTES || !Sessions.valid(modelLoad)) {
            throw new ChannelException("the dealer sent malformed seeds");
        }
    }

    /**
     * Connects for {@code session} of the model load {@code modelLoad} (empty: party 0 starts a new
     * load) and receives this party's seeds.
     */
    public static RemoteDealer connect(Endpoint endpoint, InetSocketAddress dealer, ByteString session, ByteString modelLoad) {
        FrameConnection c = endpoint.connect(dealer, Role.DEALER, Hello.newBuilder().setPurpose(Hello.Purpose.DEALER)
                .setSessionId(session).setModelLoad(modelLoad).build());
        try {
            return new RemoteDealer(c, SeedGrant.parseFrom(c.receive("seeds")));
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            c.close();
            throw e instanceof ChannelException ce ? ce : new ChannelException("bad seed grant from the dealer: " + e.getMessage(), e);
        }
    }

    public ByteString modelLoad() {
        return modelLoad;
    }

    public byte[] sessionSeed() {
        return sessionSeed.clone();
    }

    public byte[] persistentSeed() {
        return persistentSeed.clone();
    }

    /** The model load's seed of this party's prepared runs. */
    public byte[] offlineSeed() {
        return offlineSeed.clone();
    }

    @Override
    public long[][] corrections(Correlation c) {
        connection.send("correlation", Recipes.request(c).toByteArray());
        if (c.derivedParts().isEmpty()) {
            return new long[0][]; // the dealer only advances its mirrors: no answer to wait for
        }
        ByteString words = com.google.protobuf.UnsafeByteOperations.unsafeWrap(connection.receive("corrections"));
        long expected = c.derivedParts().stream().mapToLong(Correlation.DerivedPart::size).sum();
        if (words.size() != 8 * expected) {
            throw new ChannelException("the dealer sent " + words.size() + " bytes of corrections for " + c.kind()
                    + ", expected " + 8 * expected);
        }
        long[][] out = new long[c.derivedParts().size()][];
        int pos = 0;
        for (int i = 0; i < out.length; i++) {
            int n = c.derivedParts().get(i).size();
            out[i] = TensorCodec.unpack(words, pos, n);
            pos += 8 * n;
        }
        return out;
    }

    @Override
    public void close() {
        connection.close();
    }
}
