package dev.secformer.net;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import dev.secformer.core.RingTensor;
import dev.secformer.net.proto.Tensor;
import dev.secformer.net.proto.Tensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Named ring tensors to and from protobuf messages: shapes as fields, data as packed little-endian words. */
public final class TensorCodec {
    private TensorCodec() {
    }

    /** Packs words little-endian. */
    public static byte[] pack(long[] words) {
        byte[] b = new byte[Math.multiplyExact(words.length, 8)];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(words);
        return b;
    }

    /** Unpacks {@code n} little-endian words from {@code b} at {@code offset}. */
    public static long[] unpack(ByteString b, int offset, int n) {
        long[] out = new long[n];
        b.substring(offset, offset + 8 * n).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
        return out;
    }

    public static Tensor encode(String name, RingTensor t) {
        Tensor.Builder b = Tensor.newBuilder().setName(name).setWords(UnsafeByteOperations.unsafeWrap(pack(t.data())));
        for (int d : t.shape()) {
            b.addShape(d);
        }
        return b.build();
    }

    public static byte[] encode(Map<String, RingTensor> tensors) {
        Tensors.Builder b = Tensors.newBuilder();
        tensors.forEach((n, t) -> b.addTensors(encode(n, t)));
        return b.build().toByteArray();
    }

    /** The tensors of a message; an {@link IllegalArgumentException} naming the problem for a malformed one. */
    public static Map<String, RingTensor> decode(byte[] message) {
        try {
            return decode(Tensors.parseFrom(message).getTensorsList());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("malformed tensors message: " + e.getMessage(), e);
        }
    }

    public static Map<String, RingTensor> decode(List<Tensor> list) {
        Map<String, RingTensor> out = new LinkedHashMap<>();
        for (Tensor t : list) {
            long n = 1;
            int[] shape = new int[t.getShapeCount()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.getShape(i);
                if (shape[i] < 0) {
                    throw new IllegalArgumentException("tensor \"" + t.getName() + "\" has a negative dimension");
                }
                n *= shape[i];
                if (n > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("tensor \"" + t.getName() + "\" is too large: shape "
                            + java.util.Arrays.toString(java.util.Arrays.copyOf(shape, i + 1)) + "...");
                }
            }
            if (n * 8 != t.getWords().size()) {
                throw new IllegalArgumentException("tensor \"" + t.getName() + "\" of shape " + java.util.Arrays.toString(shape)
                        + " needs " + n * 8 + " bytes, got " + t.getWords().size());
            }
            if (out.put(t.getName(), RingTensor.of(unpack(t.getWords(), 0, (int) n), shape)) != null) {
                throw new IllegalArgumentException("tensor \"" + t.getName() + "\" appears twice");
            }
        }
        return out;
    }
}
