package dev.secformer.net;

import dev.secformer.net.proto.Frame;
import dev.secformer.net.proto.Hello;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process's networking: its TLS identity, its limits and its event loops (NIO). It listens for
 * connections and dials them; either way a connection becomes a {@link FrameConnection} only after
 * a mutual TLS handshake with a peer whose certificate grants an allowed role, and a Hello.
 *
 * <p>Pipeline of every connection, one job per handler: socket byte count, TLS, frame byte count,
 * 4-byte length framing (frames above the limit are refused), protobuf {@link Frame} codec, then the
 * hello handler, which the connection's own handler replaces.
 */
public final class Endpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);

    /** What a server does with a new connection; called on an event loop, so it must not block. */
    @FunctionalInterface
    public interface Acceptor {
        void accept(Hello hello, FrameConnection connection);
    }

    private final String name;
    private final Tls tls;
    private final NetLimits limits;
    private final EventLoopGroup loops;
    /** Warnings about connections dropped before their hello: at most 10 a minute per remote host. */
    private final HostWarnings warnings = new HostWarnings(10, java.time.Duration.ofMinutes(1), System::nanoTime);

    /** @param name this process's name in logs */
    public Endpoint(String name, Tls tls, NetLimits limits) {
        this.name = name;
        this.tls = tls;
        this.limits = limits;
        this.loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    public NetLimits limits() {
        return limits;
    }

    /** A listening server; {@code allowed} are the roles that may connect. Close it to stop listening. */
    public Server listen(InetSocketAddress address, Set<Role> allowed, Acceptor acceptor) {
        ServerBootstrap b = new ServerBootstrap()
                .group(loops)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, HEAP)
                .childOption(ChannelOption.RECVBUF_ALLOCATOR, READS)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = tls.server().newHandler(ch.alloc());
                        ssl.setHandshakeTimeout(limits.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
                        install(ch, ssl, new ServerHello(allowed, acceptor));
                    }
                });
        try {
            Channel server = b.bind(address).sync().channel();
            LOG.info("{} listening on {}", name, server.localAddress());
            return new Server(server);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + address, e);
        } catch (Exception e) {
            throw new IllegalStateException(name + " cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    /**
     * Dials {@code address}, completes the TLS handshake, checks that the server's certificate
     * grants {@code expected}, and sends {@code hello}. Bounded by the timeout.
     */
    public FrameConnection connect(InetSocketAddress address, Role expected, Hello hello) {
        CompletableFuture<FrameConnection> result = new CompletableFuture<>();
        Bootstrap b = new Bootstrap()
                .group(loops)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, HEAP)
                .option(ChannelOption.RECVBUF_ALLOCATOR, READS)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, limits.timeout().toMillis()))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = tls.client().newHandler(ch.alloc(), address.getHostString(), address.getPort());
                        ssl.setHandshakeTimeout(limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
                        install(ch, ssl, new ClientHello(expected, hello, result));
                    }
                });
        ChannelFuture connecting = b.connect(address);
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
            }
        });
        try {
            return result.get(limits.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            connecting.channel().close();
            throw new ConnectException(name + " cannot connect to " + expected.commonName() + " at " + address + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            connecting.channel().close();
            throw new ConnectException(name + " cannot connect to " + expected.commonName() + " at " + address
                    + " within " + limits.timeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connecting.channel().close();
            throw new ConnectException("interrupted while connecting to " + address, e);
        }
    }

    /**
     * Heap buffers for every connection: the JDK's AES-GCM runs its intrinsic (AES-NI and carry-less
     * multiply) on byte arrays but a plain-Java GHASH on direct buffers (JDK 17: 5x slower on loopback).
     * With BoringSSL, direct buffers measured no faster (each costs a copy less but a fresh allocation
     * more).
     */
    private static final ByteBufAllocator HEAP = new AdaptiveByteBufAllocator(false);

    /**
     * Socket reads of up to 1 MiB (Netty's default stops at 64 KiB): a large message then takes
     * a sixteenth of the system calls and TLS unwraps; measured 25% faster for 8 MiB rounds and 10%
     * for bge-small's inference (docs/benchmarks.md). The size adapts down for small messages.
     */
    private static final AdaptiveRecvByteBufAllocator READS = new AdaptiveRecvByteBufAllocator(64, 64 << 10, 1 << 20);

    private WriteBufferWaterMark waterMark() {
        return new WriteBufferWaterMark(2 * limits.chunkBytes(), 4 * limits.chunkBytes());
    }

    private void install(SocketChannel ch, SslHandler ssl, HelloHandler hello) {
        ByteCounter socketBytes = new ByteCounter();
        ByteCounter frameBytes = new ByteCounter();
        hello.counters(socketBytes, frameBytes);
        ch.pipeline()
                .addLast("socket-bytes", socketBytes)
                .addLast("tls", ssl)
                .addLast("frame-bytes", frameBytes)
                .addLast("frame-decoder", frameDecoder(limits))
                .addLast("frame-encoder", new LengthFieldPrepender(4))
                .addLast("protobuf-decoder", new ChunkFrames.Decoder())
                .addLast("protobuf-encoder", new ProtobufEncoder())
                .addLast("hello", hello);
    }

    /**
     * Frames cut from the decrypted stream without copying: TLS hands over its records in small
     * buffers, and merging them into each frame cost a copy of every byte and a fresh buffer per
     * frame (which, above the pool's sizes, was allocated and zeroed each time).
     */
    static LengthFieldBasedFrameDecoder frameDecoder(NetLimits limits) {
        LengthFieldBasedFrameDecoder d = new LengthFieldBasedFrameDecoder(limits.maxFrameBytes(), 0, 4, 0, 4);
        d.setCumulator(ByteToMessageDecoder.COMPOSITE_CUMULATOR);
        return d;
    }

    /** Stops the event loops; open connections close. */
    @Override
    public void close() {
        Future<?> f = loops.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        f.awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** A listening socket. */
    public static final class Server implements AutoCloseable {
        private final Channel channel;

        private Server(Channel channel) {
            this.channel = channel;
        }

        /** The bound address (the actual port when 0 was asked for). */
        public InetSocketAddress address() {
            return (InetSocketAddress) channel.localAddress();
        }

        /**
         * Closes the socket, waiting at most 5 s: an event loop that died (an error on its thread)
         * never completes the close, and a shutdown must not hang on it.
         */
        @Override
        public void close() {
            if (!channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS)) {
                LOG.warn("the listening socket {} did not close within 5 s; its event loop is not running", channel);
            }
        }
    }

    /** Thrown when a connection cannot be established. */
    public static final class ConnectException extends RuntimeException {
        ConnectException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Until the hello: turns the handshake and the first frame into a {@link FrameConnection}. */
    private abstract class HelloHandler extends SimpleChannelInboundHandler<Object> {
        ByteCounter socketBytes;
        ByteCounter frameBytes;
        Role peer;
        private boolean warned;

        /**
         * Logs why this connection is being dropped before its hello: once per connection (a
         * garbage connection fails both its handshake and its decoder), within its host's budget.
         */
        void warn(ChannelHandlerContext ctx, String what) {
            if (warned) {
                return;
            }
            warned = true;
            long dropped = warnings.admit(ctx.channel().remoteAddress());
            if (dropped >= 0) {
                LOG.warn("{}: {}{}", name, what, dropped == 0 ? "" : " (" + dropped + " more warnings about this host suppressed)");
            }
        }

        void counters(ByteCounter socket, ByteCounter frame) {
            this.socketBytes = socket;
            this.frameBytes = frame;
        }

        FrameConnection become(ChannelHandlerContext ctx, Frame hello) {
            FrameConnection c = new FrameConnection(ctx.channel(), hello, peer, limits, frameBytes, socketBytes);
            ctx.pipeline().replace(this, "connection", c.inbound());
            return c;
        }

        /** The peer's role after a successful handshake, or null (and the channel closed) on failure. */
        Role handshake(ChannelHandlerContext ctx, SslHandshakeCompletionEvent e) {
            if (!e.isSuccess()) {
                warn(ctx, "TLS handshake with " + ctx.channel().remoteAddress() + " failed: " + HostWarnings.describe(e.cause()));
                ctx.close();
                return null;
            }
            try {
                return Tls.peerRole(ctx.pipeline().get(SslHandler.class));
            } catch (Exception ex) {
                warn(ctx, "refusing " + ctx.channel().remoteAddress() + ": " + HostWarnings.describe(ex));
                ctx.close();
                return null;
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            warn(ctx, "closing " + ctx.channel().remoteAddress() + " before its hello: " + HostWarnings.describe(cause));
            ctx.close();
        }
    }

    private final class ServerHello extends HelloHandler {
        private final Set<Role> allowed;
        private final Acceptor acceptor;

        ServerHello(Set<Role> allowed, Acceptor acceptor) {
            this.allowed = allowed;
            this.acceptor = acceptor;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent e) {
                peer = handshake(ctx, e);
                if (peer != null && !allowed.contains(peer)) {
                    warn(ctx, "refusing " + peer.commonName() + " from " + ctx.channel().remoteAddress()
                            + ": that role may not connect here");
                    peer = null;
                    ctx.close();
                } else if (peer != null) {
                    ctx.executor().schedule(() -> {
                        if (ctx.pipeline().get(HelloHandler.class) != null && ctx.channel().isActive()) {
                            warn(ctx, "no hello from " + ctx.channel().remoteAddress() + " within " + limits.handshakeTimeout());
                            ctx.close();
                        }
                    }, limits.handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (peer == null) {
                ctx.close();
                return;
            }
            if (!(msg instanceof Frame f) || f.getBodyCase() != Frame.BodyCase.HELLO || !Sessions.valid(f.getHello().getSessionId())) {
                warn(ctx, "closing " + ctx.channel().remoteAddress() + ": the first frame must be a hello with a "
                        + Sessions.ID_BYTES + "-byte session id, got " + (msg instanceof Frame f ? f.getBodyCase() : "a chunk"));
                ctx.close();
                return;
            }
            acceptor.accept(f.getHello(), become(ctx, f));
        }
    }

    private final class ClientHello extends HelloHandler {
        private final Role expected;
        private final Hello hello;
        private final CompletableFuture<FrameConnection> result;

        ClientHello(Role expected, Hello hello, CompletableFuture<FrameConnection> result) {
            this.expected = expected;
            this.hello = hello;
            this.result = result;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent e) {
                if (!e.isSuccess()) {
                    result.completeExceptionally(new IllegalStateException("TLS handshake failed: " + HostWarnings.describe(e.cause()),
                            e.cause()));
                }
                peer = handshake(ctx, e);
                if (peer != null && peer != expected) {
                    result.completeExceptionally(new IllegalStateException("the server's certificate is "
                            + peer.commonName() + "'s, not " + expected.commonName() + "'s"));
                    ctx.close();
                } else if (peer != null) {
                    Frame f = Frame.newBuilder().setHello(hello).build();
                    FrameConnection c = become(ctx, f);
                    ctx.writeAndFlush(f);
                    result.complete(c);
                } else {
                    result.completeExceptionally(new IllegalStateException("the server's certificate names no role"));
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.completeExceptionally(new IllegalStateException("the server closed the connection during the handshake"));
            ctx.fireChannelInactive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            ctx.close();
        }
    }
}
