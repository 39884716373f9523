package dev.secformer.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.secformer.net.proto.Chunk;
import dev.secformer.net.proto.Frame;
import dev.secformer.net.proto.Hello;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The receiving end of the frame path (the composite frame decoder and {@link ChunkFrames.Decoder})
 * against protobuf's own parse of the same bytes, with frames arriving in pieces as TLS records
 * deliver them.
 */
class ChunkFramesTest {
    private static final ByteString SESSION = ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

    /** The pipeline's decoders with the frame's bytes written in pieces of {@code piece} bytes; the one message out. */
    private static Object receive(byte[] frame, int piece) {
        EmbeddedChannel ch = new EmbeddedChannel(Endpoint.frameDecoder(NetLimits.defaults()), new ChunkFrames.Decoder());
        ByteBuf prefixed = Unpooled.buffer().writeInt(frame.length).writeBytes(frame);
        while (prefixed.isReadable()) {
            ch.writeInbound(prefixed.readRetainedSlice(Math.min(piece, prefixed.readableBytes())));
        }
        prefixed.release();
        Object out = ch.readInbound();
        assertNull(ch.readInbound(), "one frame in, one message out");
        ch.finishAndReleaseAll();
        return out;
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = ByteBufUtil.getBytes(b);
        b.release();
        return out;
    }

    /** The chunk's fields as decoded equal protobuf's parse of the same frame, and its data is sliced whole. */
    private static void assertDecodedAsProtobuf(byte[] frame, Object decoded) throws Exception {
        Chunk expected = Frame.parseFrom(frame).getChunk();
        ChunkFrames.RawChunk c = assertInstanceOf(ChunkFrames.RawChunk.class, decoded);
        try {
            assertEquals(expected.getSessionId(), c.sessionId);
            assertEquals(expected.getSequence(), c.sequence);
            assertEquals(expected.getStep(), c.step);
            assertEquals(expected.getTotal(), c.total);
            assertArrayEquals(expected.getData().toByteArray(), ByteBufUtil.getBytes(c.content()));
            assertEquals(frame.length - expected.getData().size(), c.overhead);
        } finally {
            c.release();
        }
    }

    @Test
    void aLargeChunkArrivingInRecordSizedPiecesIsItsHeaderAndItsData() throws Exception {
        byte[] payload = new byte[1 << 20];
        new Random(1).nextBytes(payload);
        Chunk header = Chunk.newBuilder().setSessionId(SESSION).setSequence(41).setStep("layer 3/GeLU").setTotal(5L << 20).build();
        byte[] frame = bytes(ChunkFrames.encode(header, payload, 0, payload.length));
        for (int piece : new int[] {16 << 10, 16 << 10 | 3, frame.length + 4}) {
            assertDecodedAsProtobuf(frame, receive(frame, piece));
        }
    }

    @Test
    void aHeaderLongerThanTheFirstBytesReadIsParsedFromTheWholeFrame() throws Exception {
        String step = "s".repeat(3 * ChunkFrames.Decoder.HEAD_BYTES);
        Chunk header = Chunk.newBuilder().setSessionId(SESSION).setSequence(2).setStep(step).setTotal(1000).build();
        byte[] frame = bytes(ChunkFrames.encode(header, new byte[1000], 0, 1000));
        assertDecodedAsProtobuf(frame, receive(frame, 700));
    }

    @Test
    void dataFollowedByMoreFieldsIsParsedFromTheWholeFrame() throws Exception {
        byte[] payload = new byte[5000];
        new Random(2).nextBytes(payload);
        Chunk chunk = Chunk.newBuilder().setSessionId(SESSION).setSequence(9).setData(ByteString.copyFrom(payload))
                .setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(9, UnknownFieldSet.Field.newBuilder().addVarint(77).build()).build())
                .build();
        byte[] frame = Frame.newBuilder().setChunk(chunk).build().toByteArray();
        assertTrue(frame[frame.length - 1] == 77, "the unknown field comes after the data");
        assertDecodedAsProtobuf(frame, receive(frame, 1000));
    }

    @Test
    void aChunkWithoutDataAndOtherFramesDecode() throws Exception {
        byte[] empty = Frame.newBuilder().setChunk(Chunk.newBuilder().setSessionId(SESSION).setSequence(3).setStep("end")).build()
                .toByteArray();
        assertDecodedAsProtobuf(empty, receive(empty, 5));
        Frame hello = Frame.newBuilder().setHello(Hello.newBuilder().setSessionId(SESSION).setPlan("p")).build();
        assertEquals(hello, receive(hello.toByteArray(), 3));
    }

    @Test
    void dataOverrunningItsFrameIsRefused() {
        byte[] frame = bytes(ChunkFrames.encode(Chunk.newBuilder().setSequence(1).build(), new byte[100], 0, 100));
        frame[frame.length - 101] = 101; // the data's length, one more than the frame holds
        DecoderException e = assertThrows(DecoderException.class, () -> receive(frame, 64));
        assertTrue(e.getMessage().contains("overruns its frame"), e.getMessage());
    }
}
