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
import java.util.concurrent.atomic.AtomicReference;

/**
 * A client of the two parties: sends each party its shares of the inputs, in one session, and
 * receives each party's shares of the outputs with the session's cost. Reconstructing the outputs
 * is the caller's (it alone holds both shares).
 */
public final class InferenceClient {
    private static final String GAVE_UP = "the client gave up: ";
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
     * Runs one inference. Throws an {@link InferenceException} with the reason of the first party
     * to fail (a refusal, a protocol failure); that failure also ends the wait for the other party
     * at once, instead of its timeout.
     */
    public Answer infer(Map<String, RingTensor> inputs0, Map<String, RingTensor> inputs1) {
        ByteString session = Sessions.newId();
        Request q0 = new Request(party0, Role.PARTY0, session, inputs0);
        Request q1 = new Request(party1, Role.PARTY1, session, inputs1);
        AtomicReference<Throwable> first = new AtomicReference<>();
        CompletableFuture<Result> r0 = CompletableFuture.supplyAsync(q0::run);
        CompletableFuture<Result> r1 = CompletableFuture.supplyAsync(q1::run);
        r0.whenComplete((v, e) -> giveUp(e, first, q1, Role.PARTY0));
        r1.whenComplete((v, e) -> giveUp(e, first, q0, Role.PARTY1));
        try {
            return answer(r0.join(), r1.join());
        } catch (CompletionException e) {
            Throwable cause = first.get() != null ? first.get() : e.getCause();
            Throwable other = failure(cause == failure(r0) ? r1 : r0);
            // A party's own reason, rather than "closed" when the other one ended the session first.
            if (other != null && !other.getMessage().startsWith(GAVE_UP) && cause.getMessage().endsWith("closed")
                    && !other.getMessage().endsWith("closed")) {
                cause = other;
            }
            throw new InferenceException(cause.getMessage(), cause);
        }
    }

    /** The first failure ends the other request, which would otherwise wait for its party's timeout. */
    private static void giveUp(Throwable failure, AtomicReference<Throwable> first, Request other,
                               Role failed) {
        if (failure != null && first.compareAndSet(null, failure instanceof CompletionException ? failure.getCause() : failure)) {
            other.abort(GAVE_UP + failed.commonName() + " failed");
        }
    }

    /** The failure of a request once it has ended, or null if it succeeded. */
    private static Throwable failure(CompletableFuture<Result> f) {
        try {
            f.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    private static Answer answer(Result a, Result b) {
        return new Answer(TensorCodec.decode(a.getTensorsList()), TensorCodec.decode(b.getTensorsList()),
                cost(a.getCost(), b.getCost()));
    }

    private static InferenceCost cost(Cost c0, Cost c1) {
        return new InferenceCost(CostReport.combine(PhaseCosts.of(c0), PhaseCosts.of(c1)),
                Math.max(c0.getNanos(), c1.getNanos()) / 1e9, Math.max(c0.getOfflineNanos(), c1.getOfflineNanos()) / 1e9,
                c0.getPrepared() && c1.getPrepared(), new InferenceCost.Wire(c0.getFramingBytes(), c0.getSocketBytes()));
    }

    /** One party's half of a session: its connection, which the other half's failure may abort. */
    private final class Request {
        private final InetSocketAddress address;
        private final Role role;
        private final ByteString session;
        private final Map<String, RingTensor> inputs;
        private FrameConnection connection;
        private String abandoned;

        Request(InetSocketAddress address, Role role, ByteString session, Map<String, RingTensor> inputs) {
            this.address = address;
            this.role = role;
            this.session = session;
            this.inputs = inputs;
        }

        Result run() {
            FrameConnection c = endpoint.connect(address, role,
                    Hello.newBuilder().setPurpose(Hello.Purpose.INFERENCE).setSessionId(session).build());
            try (c) {
                synchronized (this) {
                    connection = c;
                    if (abandoned != null) {
                        c.abort(abandoned);
                    }
                }
                c.send("inputs", TensorCodec.encode(inputs));
                return Result.parseFrom(c.receive("outputs"));
            } catch (InvalidProtocolBufferException e) {
                throw new ChannelException(role.commonName() + " sent a malformed result: " + e.getMessage(), e);
            }
        }

        synchronized void abort(String reason) {
            abandoned = reason;
            if (connection != null) {
                connection.abort(reason);
            }
        }
    }

    /** A failed inference, with the reason the parties gave. */
    public static final class InferenceException extends RuntimeException {
        InferenceException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
