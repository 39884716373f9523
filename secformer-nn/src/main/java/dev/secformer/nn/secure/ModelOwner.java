package dev.secformer.nn.secure;

import dev.secformer.core.FixedPoint;
import dev.secformer.core.Prg;
import dev.secformer.core.RingTensor;
import dev.secformer.core.Sharing;
import java.util.ArrayList;
import java.util.List;

/**
 * The model owner's side of a deployment: encodes plaintext weights in fixed point and splits
 * them into the two parties' {@link BertShares}. The query projection is scaled by 1/sqrt(d_head)
 * here, in plaintext, so that attention scores need no extra secure product.
 */
public final class ModelOwner {
    private ModelOwner() {
    }

    /** Both parties' shares of {@code w}, with masks from {@code prg}. */
    public static BertShares[] split(PlainBertWeights w, FixedPoint fp, Prg prg) {
        int h = w.hidden();
        if (h % w.heads() != 0) {
            throw new IllegalArgumentException("hidden size " + h + " is not a multiple of " + w.heads() + " heads");
        }
        float scale = (float) (1.0 / Math.sqrt(h / w.heads()));
        Splitter s = new Splitter(fp, prg);
        RingTensor[] word = s.split("word embeddings", w.wordEmbeddings(), w.vocabSize(), h);
        RingTensor[] pos = s.split("position embeddings", w.positionEmbeddings(), w.maxPositions(), h);
        RingTensor[] type = s.split("token type embeddings", w.tokenTypeEmbeddings(), w.typeVocabSize(), h);
        RingTensor[] g = s.split("embedding LayerNorm gamma", w.embeddingLnGamma(), h);
        RingTensor[] b = s.split("embedding LayerNorm beta", w.embeddingLnBeta(), h);
        List<List<BertShares.Layer>> layers = List.of(new ArrayList<>(), new ArrayList<>());
        for (int l = 0; l < w.layers(); l++) {
            String at = "layer " + l + " ";
            RingTensor[] qkv = s.split(at + "QKV", concatColumns(h, scaled(w.query(l), scale), w.key(l), w.value(l)), h, 3 * h);
            RingTensor[] qkvBias = s.split(at + "QKV bias",
                    concat(scaled(w.queryBias(l), scale), w.keyBias(l), w.valueBias(l)), 3 * h);
            RingTensor[] out = s.split(at + "attention output", w.attentionOutput(l), h, h);
            RingTensor[] outB = s.split(at + "attention output bias", w.attentionOutputBias(l), h);
            RingTensor[] ln1g = s.split(at + "attention LayerNorm gamma", w.attentionLnGamma(l), h);
            RingTensor[] ln1b = s.split(at + "attention LayerNorm beta", w.attentionLnBeta(l), h);
            RingTensor[] in = s.split(at + "FFN in", w.ffnIn(l), h, w.intermediate());
            RingTensor[] inB = s.split(at + "FFN in bias", w.ffnInBias(l), w.intermediate());
            RingTensor[] fo = s.split(at + "FFN out", w.ffnOut(l), w.intermediate(), h);
            RingTensor[] foB = s.split(at + "FFN out bias", w.ffnOutBias(l), h);
            RingTensor[] ln2g = s.split(at + "output LayerNorm gamma", w.outputLnGamma(l), h);
            RingTensor[] ln2b = s.split(at + "output LayerNorm beta", w.outputLnBeta(l), h);
            for (int p = 0; p < 2; p++) {
                layers.get(p).add(new BertShares.Layer(qkv[p], qkvBias[p], out[p], outB[p], ln1g[p], ln1b[p],
                        in[p], inB[p], fo[p], foB[p], ln2g[p], ln2b[p]));
            }
        }
        BertShares.Head[] head = {null, null};
        if (w.poolerWeight() != null) {
            RingTensor[] pw = s.split("pooler", w.poolerWeight(), h, h);
            RingTensor[] pb = s.split("pooler bias", w.poolerBias(), h);
            RingTensor[][] cw = {null, null};
            RingTensor[][] cb = {null, null};
            if (w.classifierWeight() != null) {
                int labels = w.classifierBias().length;
                RingTensor[] c = s.split("classifier", w.classifierWeight(), h, labels);
                RingTensor[] cbias = s.split("classifier bias", w.classifierBias(), labels);
                cw = new RingTensor[][] {{c[0]}, {c[1]}};
                cb = new RingTensor[][] {{cbias[0]}, {cbias[1]}};
            }
            for (int p = 0; p < 2; p++) {
                head[p] = new BertShares.Head(pw[p], pb[p], cw[p] == null ? null : cw[p][0], cb[p] == null ? null : cb[p][0]);
            }
        }
        BertShares[] shares = new BertShares[2];
        for (int p = 0; p < 2; p++) {
            shares[p] = new BertShares(w.heads(), new BertShares.Embeddings(word[p], pos[p], type[p], g[p], b[p]),
                    List.copyOf(layers.get(p)), head[p]);
        }
        return shares;
    }

    private static float[] scaled(float[] v, float s) {
        float[] r = new float[v.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = v[i] * s;
        }
        return r;
    }

    private static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] r = new float[n];
        int pos = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, r, pos, p.length);
            pos += p.length;
        }
        return r;
    }

    /** Side-by-side concatenation of {@code [rows, c_i]} matrices into {@code [rows, sum c_i]}. */
    private static float[] concatColumns(int rows, float[]... mats) {
        int cols = 0;
        for (float[] m : mats) {
            cols += m.length / rows;
        }
        float[] r = new float[rows * cols];
        int off = 0;
        for (float[] m : mats) {
            int c = m.length / rows;
            for (int i = 0; i < rows; i++) {
                System.arraycopy(m, i * c, r, i * cols + off, c);
            }
            off += c;
        }
        return r;
    }

    /** Encodes and splits one tensor, checking its size. */
    private record Splitter(FixedPoint fp, Prg prg) {
        RingTensor[] split(String name, float[] values, int... shape) {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            if (values == null || values.length != n) {
                throw new IllegalArgumentException(name + ": expected " + n + " values for shape "
                        + java.util.Arrays.toString(shape) + ", got " + (values == null ? "none" : values.length));
            }
            long[] enc = new long[values.length];
            for (int i = 0; i < enc.length; i++) {
                try {
                    enc[i] = fp.encode(values[i]);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(name + " element " + i + ": " + e.getMessage(), e);
                }
            }
            return Sharing.split(RingTensor.of(enc, shape), prg);
        }
    }
}
