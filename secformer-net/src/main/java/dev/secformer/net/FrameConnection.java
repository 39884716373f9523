package dev.secformer.net;

import com.google.protobuf.ByteString;
import dev.secformer.core.ChannelException;
import dev.secformer.net.proto.Chunk;
import dev.secformer.net.proto.Failure;
import dev.secformer.net.proto.Frame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.buffer.ByteBuf;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.traffic.ChannelTrafficShapingHandler;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One established connection of a session (after the TLS handshake and the Hello): sends messages
 * cut into chunk frames, reassembles the peer's, and counts payload, frame and TLS bytes.
 *
 * <p>Checks on every frame received: it is a chunk or a failure; it names this connection's
 * session; its sequence number is the next one; a message's chunks agree on step and size; a
 * message fits the limit; at most {@value #MAX_QUEUED} unread messages wait. A violation closes the
 * connection with a logged reason (sent to the peer in a Failure frame) and every later receive on
 * it fails with that reason.
 *
 * <p>Back-pressure: a sender waits (up to the timeout) while the connection's outbound buffer is
 * above its high-water mark, so a large tensor never piles up in memory faster than the socket
 * drains it. A receiver with {@value #PAUSE_AT} unread messages stops reading the socket until its
 * reader has taken half of them, so a fast sender (the dealer streaming a prepared run) is slowed to
 * the reader's pace by TCP instead of filling memory. Two parties that both send a round's messages
 * before they receive cannot deadlock: a round is far fewer messages than that.
 */
public final class FrameConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FrameConnection.class);
    /** Unread messages at which reading from the socket pauses. */
    static final int PAUSE_AT = 32;
    /**
     * Unread messages beyond which the peer is cut off: reading pauses at {@link #PAUSE_AT}, and what
     * one socket read held past that (at most 64 KiB of frames) still arrives, so only a broken
     * pipeline gets here.
     */
    static final int MAX_QUEUED = 4096;
    /**
     * Bytes reserved for a message before its data arrives; a longer one grows (doubling) as its
     * chunks come, so that a peer announcing a large message without sending it costs this much,
     * not the announced size.
     */
    static final int FIRST_RESERVATION = 8 << 20;
    private static final Object CLOSED = new Object();
    static final int LENGTH_PREFIX = 4;

    /** A complete message: its number on this connection, its step and its bytes. */
    public record Message(long sequence, String step, byte[] payload) {
    }

    private final Channel channel;
    private final ByteString sessionId;
    private final Role peer;
    private final NetLimits limits;
    private final ByteCounter frameBytes;
    private final ByteCounter tlsBytes;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final Object writability = new Object();
    private long sendSequence;
    private long payloadSent;
    private long payloadReceived;
    /** Bytes of frames that are not payload (length prefixes, protobuf fields, hello, failure), computed per frame. */
    private final java.util.concurrent.atomic.AtomicLong framing = new java.util.concurrent.atomic.AtomicLong();
    private volatile String failure;
    private volatile ChannelFuture lastWrite;

    /** @param hello the hello frame that opened the connection (its bytes count as framing) */
    FrameConnection(Channel channel, Frame hello, Role peer, NetLimits limits, ByteCounter frameBytes,
                    ByteCounter tlsBytes) {
        this.channel = channel;
        this.sessionId = hello.getHello().getSessionId();
        framing.addAndGet(LENGTH_PREFIX + hello.getSerializedSize());
        this.peer = peer;
        this.limits = limits;
        this.frameBytes = frameBytes;
        this.tlsBytes = tlsBytes;
        channel.closeFuture().addListener(f -> ended("the connection to " + peer.commonName() + " closed"));
    }

    /** The handler that feeds this connection; replaces the handshake handler in the pipeline. */
    SimpleChannelInboundHandler<Object> inbound() {
        return new Inbound();
    }

    /** The role the peer's certificate proves. */
    public Role peer() {
        return peer;
    }

    public NetLimits limits() {
        return limits;
    }

    /** The longest wait for a message or for room to send. */
    public Duration timeout() {
        return limits.timeout();
    }

    /** The session this connection belongs to. */
    public ByteString sessionId() {
        return sessionId;
    }

    /**
     * Sends {@code payload} as message {@code step}, in chunks; returns once the last chunk is handed
     * to the transport. Safe to call from one thread at a time.
     */
    public synchronized void send(String step, byte[] payload) {
        if (payload.length > limits.maxMessageBytes()) {
            throw new IllegalArgumentException("message of " + payload.length + " bytes exceeds the limit of "
                    + limits.maxMessageBytes() + " bytes");
        }
        long sequence = sendSequence++;
        int off = 0;
        ChannelFuture last = null;
        do {
            checkOpen();
            awaitWritable();
            int n = Math.min(limits.chunkBytes(), payload.length - off);
            Chunk.Builder c = Chunk.newBuilder().setSequence(sequence);
            if (off == 0) {
                c.setSessionId(sessionId).setStep(step).setTotal(payload.length);
            }
            ByteBuf frame = ChunkFrames.encode(c.build(), payload, off, n);
            framing.addAndGet(LENGTH_PREFIX + frame.readableBytes() - n);
            last = channel.writeAndFlush(frame);
            off += n;
        } while (off < payload.length);
        lastWrite = last;
        last.addListener(f -> {
            if (!f.isSuccess()) {
                ended("sending to " + peer.commonName() + " failed: " + f.cause());
            }
        });
        payloadSent += payload.length;
    }

    /** Writes a frame that carries no payload (a failure). */
    private ChannelFuture write(Frame f) {
        framing.addAndGet(LENGTH_PREFIX + f.getSerializedSize());
        return channel.writeAndFlush(f);
    }

    /** Waits up to the timeout for the peer's next message. */
    public Message receive() {
        return receive(limits.timeout());
    }

    /** Waits up to {@code timeout} for the peer's next message; a {@link ChannelException} on failure or timeout. */
    public Message receive(Duration timeout) {
        Object in;
        try {
            in = inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelException("interrupted while waiting for " + peer.commonName(), e);
        }
        if (in == null) {
            throw new ChannelException("no message from " + peer.commonName() + " within " + timeout);
        }
        if (in == CLOSED) {
            inbox.add(CLOSED);
            throw new ChannelException(failure);
        }
        Message m = (Message) in;
        synchronized (this) {
            payloadReceived += m.payload().length;
        }
        if (!channel.config().isAutoRead() && inbox.size() <= PAUSE_AT / 2) {
            channel.config().setAutoRead(true);
        }
        return m;
    }

    /** Receives the next message and checks that it is {@code step}. */
    public byte[] receive(String step) {
        Message m = receive();
        if (!m.step().equals(step)) {
            abort("expected a message \"" + step + "\" from " + peer.commonName() + ", received \"" + m.step() + "\"");
            throw new ChannelException(failure);
        }
        return m.payload();
    }

    /** Tells the peer why the session ends, then closes. */
    public void abort(String reason) {
        boolean tell = failure == null && channel.isActive();
        if (ended(reason, !tell) && tell) {
            write(Frame.newBuilder().setFailure(Failure.newBuilder().setSessionId(sessionId).setReason(reason)).build())
                    .addListener(f -> channel.close());
        }
    }

    /**
     * Closes the connection once what was sent has been written (waiting at most the timeout);
     * idempotent. A receive waiting on it fails promptly.
     */
    @Override
    public void close() {
        ChannelFuture w = lastWrite;
        if (w != null && failure == null && !channel.eventLoop().inEventLoop()) {
            w.awaitUninterruptibly(limits.timeout().toMillis());
        }
        ended("the connection to " + peer.commonName() + " was closed");
    }

    /**
     * Emulates {@code link} on what this side sends from now on: a rate limiter and a propagation
     * delay below TLS, so that they act on the bytes the socket carries. Each party shapes its own
     * direction of the party-to-party connection.
     */
    public void shape(LinkShape link) {
        channel.eventLoop().execute(() -> {
            channel.pipeline().addBefore("tls", "link-rate", new ChannelTrafficShapingHandler(
                    (long) link.bytesPerSecond(), 0, SHAPING_INTERVAL_MILLIS, limits.timeout().toMillis()));
            channel.pipeline().addBefore("link-rate", "link-delay", new LinkDelay(link.oneWayNanos()));
        });
    }

    /** How often the rate limiter accounts: short, so that a round's small messages are not held long. */
    private static final long SHAPING_INTERVAL_MILLIS = 10;

    /** Null while the connection is usable; else why it ended. */
    public String failure() {
        return failure;
    }

    /** Payload bytes sent and received through {@link #send} and {@link #receive}. */
    public synchronized long payloadBytes() {
        return payloadSent + payloadReceived;
    }

    /**
     * Bytes the frames added to the payloads so far, both directions, as computed from each frame's
     * encoding: length prefixes, protobuf fields, the hello and any failure frame.
     */
    public long framingBytes() {
        return framing.get();
    }

    /** Bytes of frames (length prefix and protobuf encoding included) written and read so far, as counted in the pipeline. */
    public long frameBytes() {
        return frameBytes.written() + frameBytes.read();
    }

    /** Bytes on the socket (TLS records included) written and read so far, once the messages sent so far are written. */
    public long socketBytes() {
        ChannelFuture w = lastWrite; // a message handed to the transport may not have reached the socket yet
        if (w != null && !channel.eventLoop().inEventLoop()) {
            w.awaitUninterruptibly(limits.timeout().toMillis());
        }
        return tlsBytes.written() + tlsBytes.read();
    }

    /** Writes bytes below the frame codec, bypassing every check: only for tests of hostile peers. */
    void writeRawForTest(io.netty.buffer.ByteBuf raw) {
        channel.pipeline().context("frame-bytes").writeAndFlush(raw);
    }

    private void checkOpen() {
        if (failure != null) {
            throw new ChannelException(failure);
        }
    }

    private void awaitWritable() {
        if (channel.isWritable()) {
            return;
        }
        long deadline = System.nanoTime() + limits.timeout().toNanos();
        synchronized (writability) {
            while (!channel.isWritable() && failure == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    abort(peer.commonName() + " has not read for " + limits.timeout() + " (send buffer full)");
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(writability, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ChannelException("interrupted while sending to " + peer.commonName(), e);
                }
            }
        }
        checkOpen();
    }

    private void ended(String reason) {
        ended(reason, true);
    }

    /**
     * Records why the connection ended (the first reason wins), wakes every waiter and closes the
     * channel unless the caller closes it after a last frame; false if it had already ended.
     */
    private boolean ended(String reason, boolean close) {
        synchronized (this) {
            if (failure != null) {
                return false;
            }
            failure = reason;
        }
        inbox.add(CLOSED);
        synchronized (writability) {
            writability.notifyAll();
        }
        if (close) {
            channel.close();
        }
        return true;
    }

    /** Fails the connection for a protocol violation by the peer: logged, told to the peer, closed. */
    private void violation(String reason) {
        LOG.warn("closing the connection to {} ({}): {}", peer.commonName(), channel.remoteAddress(), reason);
        abort(reason);
    }

    /** Reassembles chunks into messages on the event loop. */
    private final class Inbound extends SimpleChannelInboundHandler<Object> {
        private long expected;
        private byte[] assembling;
        private int announced;
        private int filled;
        private String step;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (failure != null) {
                return;
            }
            if (msg instanceof ChunkFrames.RawChunk c) {
                framing.addAndGet(LENGTH_PREFIX + c.overhead);
                chunk(c);
                return;
            }
            Frame f = (Frame) msg;
            framing.addAndGet(LENGTH_PREFIX + f.getSerializedSize());
            switch (f.getBodyCase()) {
                case FAILURE -> {
                    String reason = peer.commonName() + " aborted the session: " + f.getFailure().getReason();
                    LOG.info(reason);
                    ended(reason);
                }
                default -> violation("unexpected frame " + f.getBodyCase() + " after the hello");
            }
        }

        private void chunk(ChunkFrames.RawChunk c) {
            if (c.sequence != expected) {
                violation("chunk of message " + c.sequence + " where message " + expected + " was due");
                return;
            }
            if (assembling == null) {
                if (!c.sessionId.equals(sessionId)) {
                    violation("message for unknown session " + Sessions.hex(c.sessionId) + " on the connection of session "
                            + Sessions.hex(sessionId));
                    return;
                }
                long limit = limits.maxMessageBytesFrom(peer);
                if (Long.compareUnsigned(c.total, limit) > 0) { // a uint64: above 2^63 it reads negative
                    violation("message of " + Long.toUnsignedString(c.total) + " bytes exceeds the limit of " + limit
                            + " bytes for a " + peer.commonName());
                    return;
                }
                if (inbox.size() >= MAX_QUEUED) {
                    violation("more than " + MAX_QUEUED + " unread messages: the peer does not follow the protocol");
                    return;
                }
                announced = (int) c.total;
                assembling = new byte[Math.min(announced, FIRST_RESERVATION)];
                filled = 0;
                step = c.step;
            } else if (!c.step.isEmpty() || c.total != 0) {
                violation("a continuation chunk of message " + expected + " restates its header");
                return;
            }
            ByteBuf data = c.content();
            int n = data.readableBytes();
            if (n > announced - filled) {
                violation("message " + expected + " is longer than its announced " + announced + " bytes");
                return;
            }
            if (n > assembling.length - filled) {
                assembling = Arrays.copyOf(assembling, (int) Math.min(announced, Math.max(filled + (long) n, 2L * assembling.length)));
            }
            data.getBytes(data.readerIndex(), assembling, filled, n);
            filled += n;
            if (filled == announced) {
                inbox.add(new Message(expected++, step, assembling));
                assembling = null;
                if (inbox.size() >= PAUSE_AT) {
                    channel.config().setAutoRead(false);
                }
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            synchronized (writability) {
                writability.notifyAll();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            violation("bad frame: " + cause.getMessage());
        }
    }
}
