package dev.secformer.nn;

import dev.secformer.nn.secure.PlainBertWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * BERT's encoder in float32 on ND4J, with the same switchable parts as {@link ReferenceBert}:
 * exact softmax or 2Quad attention, exact GeLU or an approximation, LayerNorm with a chosen
 * epsilon. It is the plaintext yardstick of the secure model's speed (whole-matrix products on the
 * CPU backend, as a plaintext inference service would run them) and the base for distillation;
 * {@link ReferenceBert}, in double precision, stays the accuracy oracle.
 *
 * <p>Weights are converted to INDArrays once, at construction. Not thread-safe.
 */
public final class FloatBert {
    private record Layer(INDArray q, INDArray qb, INDArray k, INDArray kb, INDArray v, INDArray vb, INDArray o,
                         INDArray ob, INDArray ln1g, INDArray ln1b, INDArray in, INDArray inb, INDArray out,
                         INDArray outb, INDArray ln2g, INDArray ln2b) {
    }

    private final PlainBertWeights w;
    private final ReferenceBert.Attention attention;
    private final DoubleUnaryOperator gelu;
    private final double eps;
    private final INDArray word;
    private final INDArray position;
    private final INDArray type;
    private final INDArray embG;
    private final INDArray embB;
    private final List<Layer> layers = new ArrayList<>();

    /**
     * @param gelu the activation applied elementwise, or null for the exact GeLU (x Phi(x), erf-based)
     */
    public FloatBert(PlainBertWeights w, ReferenceBert.Attention attention, DoubleUnaryOperator gelu, double layerNormEps) {
        this.w = w;
        this.attention = attention;
        this.gelu = gelu;
        this.eps = layerNormEps;
        int h = w.hidden();
        int f = w.intermediate();
        word = matrix(w.wordEmbeddings(), w.vocabSize(), h);
        position = matrix(w.positionEmbeddings(), w.maxPositions(), h);
        type = matrix(w.tokenTypeEmbeddings(), w.typeVocabSize(), h);
        embG = row(w.embeddingLnGamma());
        embB = row(w.embeddingLnBeta());
        for (int l = 0; l < w.layers(); l++) {
            layers.add(new Layer(matrix(w.query(l), h, h), row(w.queryBias(l)), matrix(w.key(l), h, h), row(w.keyBias(l)),
                    matrix(w.value(l), h, h), row(w.valueBias(l)), matrix(w.attentionOutput(l), h, h),
                    row(w.attentionOutputBias(l)), row(w.attentionLnGamma(l)), row(w.attentionLnBeta(l)),
                    matrix(w.ffnIn(l), h, f), row(w.ffnInBias(l)), matrix(w.ffnOut(l), f, h), row(w.ffnOutBias(l)),
                    row(w.outputLnGamma(l)), row(w.outputLnBeta(l))));
        }
    }

    private static INDArray matrix(float[] v, int rows, int cols) {
        if (v.length != (long) rows * cols) {
            throw new IllegalArgumentException("expected " + rows + " x " + cols + " values, got " + v.length);
        }
        return Nd4j.create(v, new long[] {rows, cols}, 'c');
    }

    private static INDArray row(float[] v) {
        return Nd4j.create(v, new long[] {1, v.length}, 'c');
    }

    /** The last hidden state {@code [B*n, H]}, row-major, as {@link ReferenceBert#forward} returns it. */
    public double[] forward(int[][] tokenIds, int[][] typeIds, boolean[][] valid) {
        int batch = tokenIds.length;
        if (batch == 0 || typeIds.length != batch || valid.length != batch) {
            throw new IllegalArgumentException("token ids, token types and mask must have the same number (>= 1) of rows");
        }
        int seq = tokenIds[0].length;
        if (seq < 1 || seq > w.maxPositions()) {
            throw new IllegalArgumentException("sequence length " + seq + " is outside [1, " + w.maxPositions() + "]");
        }
        int[] wordRows = new int[batch * seq];
        int[] typeRows = new int[batch * seq];
        int[] posRows = new int[batch * seq];
        for (int b = 0; b < batch; b++) {
            if (tokenIds[b].length != seq || typeIds[b].length != seq || valid[b].length != seq) {
                throw new IllegalArgumentException("sequence " + b + " does not have the batch's length " + seq);
            }
            for (int i = 0; i < seq; i++) {
                wordRows[b * seq + i] = checked(tokenIds[b][i], w.vocabSize(), "token id", b, i);
                typeRows[b * seq + i] = checked(typeIds[b][i], w.typeVocabSize(), "token type id", b, i);
                posRows[b * seq + i] = i;
            }
        }
        INDArray x = word.getRows(wordRows).addi(position.getRows(posRows)).addi(type.getRows(typeRows));
        x = layerNorm(x, embG, embB);
        for (Layer l : layers) {
            INDArray q = linear(x, l.q, l.qb);
            INDArray k = linear(x, l.k, l.kb);
            INDArray v = linear(x, l.v, l.vb);
            INDArray a = linear(attend(q, k, v, batch, seq, valid), l.o, l.ob);
            x = layerNorm(x.addi(a), l.ln1g, l.ln1b);
            INDArray inter = activation(linear(x, l.in, l.inb));
            x = layerNorm(x.addi(linear(inter, l.out, l.outb)), l.ln2g, l.ln2b);
        }
        return x.dup('c').data().asDouble();
    }

    private static int checked(int id, int bound, String what, int b, int i) {
        if (id < 0 || id >= bound) {
            throw new IllegalArgumentException(what + " " + id + " at sequence " + b + ", position " + i
                    + " is outside [0, " + bound + ")");
        }
        return id;
    }

    private static INDArray linear(INDArray x, INDArray weight, INDArray bias) {
        return x.mmul(weight).addiRowVector(bias);
    }

    private INDArray activation(INDArray x) {
        float[] v = x.dup('c').data().asFloat();
        DoubleUnaryOperator g = gelu == null ? ReferenceBert::exactGelu : gelu;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) g.applyAsDouble(v[i]);
        }
        return Nd4j.create(v, x.shape(), 'c');
    }

    private INDArray layerNorm(INDArray x, INDArray gamma, INDArray beta) {
        INDArray mean = x.mean(true, 1);
        INDArray centered = x.subColumnVector(mean);
        INDArray var = centered.mul(centered).mean(true, 1);
        INDArray inv = Transforms.pow(var.addi(eps), -0.5, false);
        return centered.muliColumnVector(inv).muliRowVector(gamma).addiRowVector(beta);
    }

    /** Scaled dot-product attention per sequence and head; padded keys get weight 0. */
    private INDArray attend(INDArray q, INDArray k, INDArray v, int batch, int seq, boolean[][] valid) {
        int h = w.hidden();
        int d = h / w.heads();
        double scale = 1 / Math.sqrt(d);
        INDArray ctx = Nd4j.create(DataType.FLOAT, q.rows(), h);
        for (int b = 0; b < batch; b++) {
            float[] keep = new float[seq];
            float[] minusInf = new float[seq];
            for (int j = 0; j < seq; j++) {
                keep[j] = valid[b][j] ? 1 : 0;
                minusInf[j] = valid[b][j] ? 0 : -1e30f;
            }
            INDArray keepRow = Nd4j.create(keep, new long[] {1, seq}, 'c');
            INDArray maskRow = Nd4j.create(minusInf, new long[] {1, seq}, 'c');
            for (int hd = 0; hd < w.heads(); hd++) {
                var rows = NDArrayIndex.interval(b * seq, (b + 1) * seq);
                var cols = NDArrayIndex.interval(hd * d, (hd + 1) * d);
                INDArray s = q.get(rows, cols).mmul(k.get(rows, cols).transpose()).muli(scale);
                INDArray e;
                if (attention == ReferenceBert.Attention.SOFTMAX) {
                    INDArray masked = s.addRowVector(maskRow);
                    e = Transforms.exp(masked.subColumnVector(masked.max(true, 1)), false);
                } else {
                    INDArray shifted = s.addi(5);
                    e = shifted.muli(shifted).muliRowVector(keepRow);
                }
                INDArray p = e.diviColumnVector(e.sum(true, 1));
                ctx.put(new org.nd4j.linalg.indexing.INDArrayIndex[] {rows, cols}, p.mmul(v.get(rows, cols)));
            }
        }
        return ctx;
    }
}
