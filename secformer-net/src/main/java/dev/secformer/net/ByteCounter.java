package dev.secformer.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the bytes that pass one point of a pipeline in each direction. */
final class ByteCounter extends ChannelDuplexHandler {
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong written = new AtomicLong();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            read.addAndGet(b.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf b) {
            written.addAndGet(b.readableBytes());
        }
        ctx.write(msg, promise);
    }

    long read() {
        return read.get();
    }

    long written() {
        return written.get();
    }
}
