package dev.secformer.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.TimeUnit;

/**
 * The propagation delay of an emulated link: every write and flush reaches the socket a fixed time
 * after it reached this handler. The event loop runs scheduled tasks of equal delay in the order they
 * were scheduled, so the byte order is kept.
 */
final class LinkDelay extends ChannelOutboundHandlerAdapter {
    private final long nanos;

    LinkDelay(long nanos) {
        this.nanos = nanos;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.executor().schedule(() -> ctx.write(msg, promise), nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        ctx.executor().schedule(ctx::flush, nanos, TimeUnit.NANOSECONDS);
    }
}
