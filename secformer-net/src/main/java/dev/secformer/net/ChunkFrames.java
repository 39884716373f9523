package dev.secformer.net;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.secformer.net.proto.Chunk;
import dev.secformer.net.proto.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.io.IOException;
import java.util.List;

/**
 * Chunk frames without copying their data through protobuf objects. A chunk frame is the protobuf
 * encoding of {@code Frame{chunk: Chunk{...}}} with the data field last, as protobuf writes it; the
 * sender writes the header fields and then the payload bytes where they are ({@link #encode}), and
 * the receiver parses the header fields and hands the data on as a slice of the frame
 * ({@link Decoder}), copied once, into the message being assembled. Other frames (hello, failure)
 * go through protobuf as before. The bytes on the wire are exactly protobuf's.
 */
final class ChunkFrames {
    private static final int FRAME_CHUNK_TAG = Frame.CHUNK_FIELD_NUMBER << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
    private static final int DATA_TAG = Chunk.DATA_FIELD_NUMBER << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;

    private ChunkFrames() {
    }

    /** A received chunk: its header fields and its data, a slice of the frame (released with this). */
    static final class RawChunk extends DefaultByteBufHolder {
        final ByteString sessionId;
        final long sequence;
        final String step;
        final long total;
        /** Bytes of the frame that are not data (for the framing count; the length prefix excluded). */
        final int overhead;

        RawChunk(ByteString sessionId, long sequence, String step, long total, ByteBuf data, int overhead) {
            super(data);
            this.sessionId = sessionId;
            this.sequence = sequence;
            this.step = step;
            this.total = total;
            this.overhead = overhead;
        }
    }

    /**
     * The frame of a chunk whose header is {@code header} (no data set) and whose data is
     * {@code payload[off, off + n)}: a header buffer and the payload wrapped, not copied. The payload
     * must not change until written.
     */
    static ByteBuf encode(Chunk header, byte[] payload, int off, int n) {
        int headerSize = header.getSerializedSize();
        int chunkSize = headerSize + CodedOutputStream.computeTagSize(Chunk.DATA_FIELD_NUMBER)
                + CodedOutputStream.computeUInt32SizeNoTag(n) + n;
        byte[] head = new byte[CodedOutputStream.computeTagSize(Frame.CHUNK_FIELD_NUMBER)
                + CodedOutputStream.computeUInt32SizeNoTag(chunkSize) + chunkSize - n];
        CodedOutputStream out = CodedOutputStream.newInstance(head);
        try {
            out.writeUInt32NoTag(FRAME_CHUNK_TAG);
            out.writeUInt32NoTag(chunkSize);
            header.writeTo(out);
            out.writeUInt32NoTag(DATA_TAG);
            out.writeUInt32NoTag(n);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new IllegalStateException("a chunk header did not fit its computed size", e);
        }
        return Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(head), Unpooled.wrappedBuffer(payload, off, n));
    }

    /**
     * Length-delimited frames to {@link RawChunk}s (chunk frames) or {@link Frame}s (the others). A
     * frame may be a composite of the small buffers TLS decrypted into (the frame decoder cumulates
     * without copying them), so a chunk's header is first parsed from the frame's first
     * {@value #HEAD_BYTES} bytes alone, and from the whole frame only when it runs past them.
     */
    static final class Decoder extends MessageToMessageDecoder<ByteBuf> {
        /** Bytes first read for a chunk's header (a few dozen bytes in the frames a party sends). */
        static final int HEAD_BYTES = 1024;

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) throws IOException {
            int length = frame.readableBytes();
            Object decoded = decode(frame, Math.min(length, HEAD_BYTES));
            out.add(decoded != null ? decoded : decode(frame, length));
        }

        /**
         * The frame decoded from its first {@code headLength} bytes (a chunk's data is sliced, not
         * read), or null if the chunk's header does not end within them.
         */
        private static Object decode(ByteBuf frame, int headLength) throws IOException {
            int length = frame.readableBytes();
            boolean whole = headLength == length;
            CodedInputStream in = CodedInputStream.newInstance(frame.nioBuffer(frame.readerIndex(), headLength));
            if (length == 0 || in.readTag() != FRAME_CHUNK_TAG || in.readUInt32() != length - in.getTotalBytesRead()) {
                return Frame.parseFrom(frame.nioBuffer());
            }
            ByteString session = ByteString.EMPTY;
            long sequence = 0;
            String step = "";
            long total = 0;
            int dataAt = -1;
            int dataLength = 0;
            try {
                while (!in.isAtEnd()) {
                    int tag = in.readTag();
                    switch (WireFormat.getTagFieldNumber(tag)) {
                        case Chunk.SESSION_ID_FIELD_NUMBER -> session = in.readBytes();
                        case Chunk.SEQUENCE_FIELD_NUMBER -> sequence = in.readUInt64();
                        case Chunk.STEP_FIELD_NUMBER -> step = in.readStringRequireUtf8();
                        case Chunk.TOTAL_FIELD_NUMBER -> total = in.readUInt64();
                        case Chunk.DATA_FIELD_NUMBER -> {
                            if (tag != DATA_TAG) {
                                throw new IOException("chunk data with wire type " + WireFormat.getTagWireType(tag));
                            }
                            dataLength = in.readRawVarint32();
                            dataAt = in.getTotalBytesRead();
                            if (dataLength < 0 || dataLength > length - dataAt) {
                                throw new IOException("chunk data of " + dataLength + " bytes overruns its frame");
                            }
                            if (dataAt + dataLength < length) { // not last: fields follow
                                if (!whole) {
                                    return null;
                                }
                                in.skipRawBytes(dataLength);
                            }
                        }
                        default -> in.skipField(tag);
                    }
                    if (dataAt >= 0 && dataAt + dataLength == length) {
                        break; // the data ends the frame, as a party sends it
                    }
                }
            } catch (InvalidProtocolBufferException e) {
                if (whole) {
                    throw e;
                }
                return null;
            }
            if (!whole && dataAt < 0) {
                return null;
            }
            ByteBuf data = dataAt < 0 ? Unpooled.EMPTY_BUFFER : frame.retainedSlice(frame.readerIndex() + dataAt, dataLength);
            return new RawChunk(session, sequence, step, total, data, length - dataLength);
        }
    }
}
