package dev.secformer.net;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.secformer.core.ChannelException;
import dev.secformer.core.CostReport;
import dev.secformer.core.InferenceCost;
import dev.secformer.core.RingTensor;
import dev.secformer.net.proto.Cost;
import dev.secformer.net.proto.Hello;
import dev.secformer.net.proto.Result;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A client of the two parties: sends each party its shares of the inputs, in one session, and
 * receives each party's shares of the outputs with the session's cost. Reconstructing the outputs
 * is the caller's (it alone holds both shares).
 */
public final class InferenceClient {
    /**
     * Both parties' output shares and the session's cost, both parties combined as the in-process
     * simulator reports a run (online time: the longer party's; the wire: party 0's link).
     */
    public record Answer(Map<String, RingTensor> outputs0, Map<String, RingTensor> outputs1, InferenceCost cost) {
    }

    private final Endpoint endpoint;
    private final InetSocketAddress party0;
    private final InetSocketAddress party1;

    public InferenceClient(Endpoint endpoint, InetSocketAddress party0, InetSocketAddress party1) {
        this.endpoint = endpoint;
        this.party0 = party0;
        this.party1 = party1;
    }

    /**
     * Runs one inference. Throws an {@link InferenceException} with the parties' reason when the
     * session fails (a party's specific reason is preferred to the other's "peer closed").
     */
    public Answer infer(Map<String, RingTensor> inputs0, Map<String, RingTensor> inputs1) {
        ByteString session = Sessions.newId();
        CompletableFuture<Result> r0 = CompletableFuture.supplyAsync(() -> ask(party0, Role.PARTY0, session, inputs0));
        CompletableFuture<Result> r1 = CompletableFuture.supplyAsync(() -> ask(party1, Role.PARTY1, session, inputs1));
        Result a;
        Result b;
        try {
            a = r0.join();
            b = r1.join();
        } catch (CompletionException e) {
            String m0 = failure(r0);
            String m1 = failure(r1);
            throw new InferenceException(pick(m0, m1), e.getCause());
        }
        return new Answer(TensorCodec.decode(a.getTensorsList()), TensorCodec.decode(b.getTensorsList()),
                cost(a.getCost(), b.getCost()));
    }

    private static InferenceCost cost(Cost c0, Cost c1) {
        return new InferenceCost(CostReport.combine(PhaseCosts.of(c0), PhaseCosts.of(c1)),
                Math.max(c0.getNanos(), c1.getNanos()) / 1e9, Math.max(c0.getOfflineNanos(), c1.getOfflineNanos()) / 1e9,
                c0.getPrepared() && c1.getPrepared(), new InferenceCost.Wire(c0.getFramingBytes(), c0.getSocketBytes()));
    }

    private Result ask(InetSocketAddress address, Role role, ByteString session, Map<String, RingTensor> inputs) {
        try (FrameConnection c = endpoint.connect(address, role,
                Hello.newBuilder().setPurpose(Hello.Purpose.INFERENCE).setSessionId(session).build())) {
            c.send("inputs", TensorCodec.encode(inputs));
            return Result.parseFrom(c.receive("outputs"));
        } catch (InvalidProtocolBufferException e) {
            throw new ChannelException(role.commonName() + " sent a malformed result: " + e.getMessage(), e);
        }
    }

    private static String failure(CompletableFuture<Result> f) {
        try {
            f.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause().getMessage();
        }
    }

    /** The more telling of two failure reasons: not a bare "connection closed". */
    private static String pick(String m0, String m1) {
        if (m0 == null || m1 == null) {
            return m0 == null ? m1 : m0;
        }
        return m0.endsWith("closed") && !m1.endsWith("closed") ? m1 : m0;
    }

    /** A failed inference, with the reason the parties gave. */
    public static final class InferenceException extends RuntimeException {
        InferenceException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
