package dev.secformer.nn.secure;

import dev.secformer.core.RingTensor;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One party's share of a model on disk, as the model owner hands it over: a header (magic, party
 * id, heads, layer count, which head parts exist) and then each ring tensor as its rank, dimensions
 * and little-endian words, in the order of {@link BertShares}. A share alone is uniformly random:
 * it reveals nothing of the weights but their shapes.
 */
public final class ShareFile {
    private static final String MAGIC = "secformer-share-1";
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private ShareFile() {
    }

    /** Writes party {@code party}'s share; refuses to overwrite an existing file. */
    public static void write(Path file, int party, BertShares s) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                Files.newOutputStream(file, StandardOpenOption.CREATE_NEW), 1 << 20))) {
            out.writeUTF(MAGIC);
            out.writeInt(party);
            out.writeInt(s.heads());
            out.writeInt(s.layers().size());
            out.writeBoolean(s.pooler() != null);
            out.writeBoolean(s.pooler() != null && s.pooler().classifier() != null);
            BertShares.Embeddings e = s.embeddings();
            for (RingTensor t : List.of(e.word(), e.position(), e.tokenType(), e.lnGamma(), e.lnBeta())) {
                tensor(out, t);
            }
            for (BertShares.Layer l : s.layers()) {
                for (RingTensor t : List.of(l.qkv(), l.qkvBias(), l.output(), l.outputBias(), l.ln1Gamma(), l.ln1Beta(),
                        l.ffnIn(), l.ffnInBias(), l.ffnOut(), l.ffnOutBias(), l.ln2Gamma(), l.ln2Beta())) {
                    tensor(out, t);
                }
            }
            if (s.pooler() != null) {
                tensor(out, s.pooler().pooler());
                tensor(out, s.pooler().poolerBias());
                if (s.pooler().classifier() != null) {
                    tensor(out, s.pooler().classifier());
                    tensor(out, s.pooler().classifierBias());
                }
            }
        }
    }

    private static void tensor(DataOutputStream out, RingTensor t) throws IOException {
        out.writeInt(t.shape().length);
        for (int d : t.shape()) {
            out.writeInt(d);
        }
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : t.data()) {
            if (!b.hasRemaining()) {
                out.write(b.array(), 0, b.position());
                b.clear();
            }
            b.putLong(v);
        }
        out.write(b.array(), 0, b.position());
    }

    /** A party's share read back, with the party it belongs to. */
    public record Share(int party, BertShares shares) {
    }

    /** Reads a share file; an {@link IOException} naming the file and the problem for anything malformed. */
    public static Share read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such share file");
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            if (!MAGIC.equals(in.readUTF())) {
                throw new IOException(file + ": not a secformer share file");
            }
            int party = in.readInt();
            int heads = in.readInt();
            int layers = in.readInt();
            boolean pooler = in.readBoolean();
            boolean classifier = in.readBoolean();
            if ((party != 0 && party != 1) || heads < 1 || layers < 0 || layers > 1000) {
                throw new IOException(file + ": bad header (party " + party + ", " + heads + " heads, " + layers + " layers)");
            }
            BertShares.Embeddings e = new BertShares.Embeddings(tensor(in, file), tensor(in, file), tensor(in, file),
                    tensor(in, file), tensor(in, file));
            List<BertShares.Layer> ls = new ArrayList<>();
            for (int l = 0; l < layers; l++) {
                RingTensor[] t = new RingTensor[12];
                for (int i = 0; i < t.length; i++) {
                    t[i] = tensor(in, file);
                }
                ls.add(new BertShares.Layer(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11]));
            }
            BertShares.Head head = null;
            if (pooler) {
                RingTensor pw = tensor(in, file);
                RingTensor pb = tensor(in, file);
                head = classifier ? new BertShares.Head(pw, pb, tensor(in, file), tensor(in, file))
                        : new BertShares.Head(pw, pb, null, null);
            }
            if (in.read() != -1) {
                throw new IOException(file + ": unexpected bytes after the last tensor");
            }
            return new Share(party, new BertShares(heads, e, List.copyOf(ls), head));
        } catch (EOFException ex) {
            throw new IOException(file + ": truncated share file", ex);
        }
    }

    private static RingTensor tensor(DataInputStream in, Path file) throws IOException {
        int rank = in.readInt();
        if (rank < 1 || rank > 4) {
            throw new IOException(file + ": bad tensor rank " + rank);
        }
        int[] shape = new int[rank];
        long n = 1;
        for (int i = 0; i < rank; i++) {
            shape[i] = in.readInt();
            n *= shape[i];
            if (shape[i] < 0 || n > MAX_ELEMENTS) {
                throw new IOException(file + ": bad tensor shape " + Arrays.toString(shape));
            }
        }
        byte[] raw = new byte[(int) n * 8];
        in.readFully(raw);
        long[] d = new long[(int) n];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(d);
        return RingTensor.of(d, shape);
    }
}
