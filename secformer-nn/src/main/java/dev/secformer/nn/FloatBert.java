package dev.secformer.nn;

import dev.secformer.nn.secure.PlainBertWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * BERT's encoder in float32 on ND4J, with the same switchable parts as {@link ReferenceBert}:
 * exact softmax or 2Quad attention, exact GeLU or an approximation, LayerNorm with a chosen
 * epsilon. It is the plaintext yardstick of the secure model's speed (whole-matrix products on the
 * CPU backend, as a plaintext inference service would run them) and the base for distillation;
 * {@link ReferenceBert}, in double precision, stays the accuracy oracle.
 *
 * <p>How it runs. The matrix products go straight to the BLAS that ND4J's CPU backend itself calls
 * (OpenBLAS's {@code cblas_sgemm} through ND4J's JavaCPP binding), on ND4J buffers that are
 * allocated once per batch shape and reused: the Q, K and V projections as one product, with their
 * biases folded in (the input carries a column of ones, the weight a row of biases; the same for
 * the feed-forward's first product), and attention head by head as products on strided views of
 * that result, so nothing is copied or allocated per head. The elementwise work (biases,
 * residuals, LayerNorm, softmax or 2Quad, GeLU) runs in Java on heap copies, one fused pass per
 * step, in loops the JIT vectorizes. Going around ND4J's op layer is what makes it fast: each ND4J
 * op costs about 10 us of dispatch plus an allocation, {@code mmul} allocates its result (5 ms
 * against 1 ms for the same product into a preallocated buffer), {@code Nd4j.gemm} refuses views as
 * its output, and ND4J's own worker threads and OpenBLAS's spinning ones take turns on the same
 * cores (on 2 cores, an ND4J {@code erf} right after a BLAS call took 8 ms instead of 0.2 ms).
 *
 * <p>Exactness. The exact GeLU, x Phi(x), takes erf from a float32 rational approximation (the
 * one of Eigen and XLA; absolute error below 4e-7, a few float32 ulps of erf near 1, against 1.2e-7
 * for {@link ReferenceBert#erf}), which the JIT vectorizes; softmax takes exp from
 * {@code jdk.incubator.vector} (Intel SVML, within 1 ulp) when the JVM has that module, else from
 * a scalar float32 exp with a relative error below 1e-7. Padded keys get weight exactly 0. The last
 * hidden state of bge-small at 128 tokens is within 2e-6 of ONNX Runtime's.
 *
 * <p>Weights are converted to ND4J buffers once, at construction. Not thread-safe: the work
 * buffers are reused from call to call.
 */
public final class FloatBert {
    /** Softmax through jdk.incubator.vector when the JVM was started with that module. */
    private static final boolean VECTOR_EXP = vectorExpAvailable();
    /**
     * OpenBLAS runs a product on one thread up to this m n k (GEMM_MULTITHREAD_THRESHOLD 4 times
     * SMP_THRESHOLD_MIN 65536). The attention products of one head are split into up to 4 row
     * blocks below it: on 2 cores, the 24 products of a bge-small layer at 128 tokens take 0.31 ms
     * on one thread and 0.60 ms on two (thread hand-offs outweigh the work).
     */
    private static final long SINGLE_THREAD_MNK = 4 * 65536;

    /** qkv [H + 1, 3H] and in [H + 1, F] carry their biases as a last row; o and out [.., H] do not. */
    private record Layer(INDArray qkv, INDArray o, float[] ob, float[] ln1g, float[] ln1b, INDArray in, INDArray out,
                         float[] outb, float[] ln2g, float[] ln2b) {
    }

    /** The buffers of one batch shape: ND4J (off-heap, what the BLAS reads and writes) and their heap twins. */
    private static final class Work {
        final int batch;
        final int seq;
        /** [rows, H + 1]: the layer input with a column of ones (the QKV product adds its biases through it). */
        final INDArray x;
        /** [rows, 3H]: Q, K, V side by side. */
        final INDArray qkv;
        /** [heads, seq, seq]: the attention scores, then weights, of one sequence. */
        final INDArray scores;
        /** [rows, H]: the attention context, heads side by side. */
        final INDArray ctx;
        /** [rows, H]: a sublayer's output before bias, residual and LayerNorm. */
        final INDArray acc;
        /** [rows, F]: the feed-forward's inner activations. */
        final INDArray inter;
        final FloatPointer xP;
        final FloatPointer qkvP;
        final FloatPointer scoresP;
        final FloatPointer ctxP;
        final FloatPointer accP;
        final FloatPointer interP;
        final float[] xh;
        final float[] acch;
        /** One head's [seq, seq] scores on the heap. */
        final float[] headScores;
        final float[] interh;
        final float[] row;
        final float[] row2;

        /** Rows of one head's products per BLAS call (see {@link FloatBert#SINGLE_THREAD_MNK}). */
        final int chunk;
        /** The current sequence's mask: 0 or -1e30 (softmax), 1 or 0 (2Quad). */
        final float[] mask;

        Work(int batch, int seq, int h, int f, int heads) {
            this.batch = batch;
            this.seq = seq;
            int rows = batch * seq;
            x = Nd4j.create(DataType.FLOAT, rows, h + 1);
            qkv = Nd4j.create(DataType.FLOAT, rows, 3L * h);
            scores = Nd4j.create(DataType.FLOAT, heads, seq, seq);
            ctx = Nd4j.create(DataType.FLOAT, rows, h);
            acc = Nd4j.create(DataType.FLOAT, rows, h);
            inter = Nd4j.create(DataType.FLOAT, rows, f);
            xP = pointer(x);
            qkvP = pointer(qkv);
            scoresP = pointer(scores);
            ctxP = pointer(ctx);
            accP = pointer(acc);
            interP = pointer(inter);
            xh = new float[rows * (h + 1)];
            for (int r = 0; r < rows; r++) {
                xh[r * (h + 1) + h] = 1;
            }
            acch = new float[rows * h];
            headScores = new float[seq * seq];
            interh = new float[rows * f];
            row = new float[h];
            row2 = new float[h];
            mask = new float[seq];
            long rowsPerCall = SINGLE_THREAD_MNK / ((long) seq * (h / heads));
            chunk = rowsPerCall >= seq || rowsPerCall < 1 || (seq + rowsPerCall - 1) / rowsPerCall > 4 ? seq : (int) rowsPerCall;
        }
    }

    private final PlainBertWeights w;
    private final ReferenceBert.Attention attention;
    private final DoubleUnaryOperator gelu;
    private final double eps;
    private final int hidden;
    private final int heads;
    private final int inner;
    private final float[] word;
    private final float[] position;
    private final float[] type;
    private final float[] embG;
    private final float[] embB;
    private final List<Layer> layers = new ArrayList<>();
    private Work work;

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
        hidden = h;
        heads = w.heads();
        inner = f;
        word = copy(w.wordEmbeddings(), (long) w.vocabSize() * h);
        position = copy(w.positionEmbeddings(), (long) w.maxPositions() * h);
        type = copy(w.tokenTypeEmbeddings(), (long) w.typeVocabSize() * h);
        embG = copy(w.embeddingLnGamma(), h);
        embB = copy(w.embeddingLnBeta(), h);
        for (int l = 0; l < w.layers(); l++) {
            // Wq | Wk | Wv side by side, their biases in the last row
            float[] qkv = new float[h * 3 * h];
            float[] qkvBias = new float[3 * h];
            float[][] parts = {copy(w.query(l), (long) h * h), copy(w.key(l), (long) h * h), copy(w.value(l), (long) h * h)};
            float[][] biases = {copy(w.queryBias(l), h), copy(w.keyBias(l), h), copy(w.valueBias(l), h)};
            for (int p = 0; p < 3; p++) {
                for (int i = 0; i < h; i++) {
                    System.arraycopy(parts[p], i * h, qkv, i * 3 * h + p * h, h);
                }
                System.arraycopy(biases[p], 0, qkvBias, p * h, h);
            }
            layers.add(new Layer(withBiasRow(qkv, qkvBias, h, 3 * h), matrix(w.attentionOutput(l), h, h),
                    copy(w.attentionOutputBias(l), h), copy(w.attentionLnGamma(l), h), copy(w.attentionLnBeta(l), h),
                    withBiasRow(copy(w.ffnIn(l), (long) h * f), copy(w.ffnInBias(l), f), h, f), matrix(w.ffnOut(l), f, h),
                    copy(w.ffnOutBias(l), h),
                    copy(w.outputLnGamma(l), h), copy(w.outputLnBeta(l), h)));
        }
    }

    private static float[] copy(float[] v, long expected) {
        if (v.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " values, got " + v.length);
        }
        return v.clone();
    }

    /** {@code [rows + 1, cols]}: the weight, then its bias, for an input with a column of ones. */
    private static INDArray withBiasRow(float[] weight, float[] bias, int rows, int cols) {
        float[] v = java.util.Arrays.copyOf(weight, (rows + 1) * cols);
        System.arraycopy(bias, 0, v, rows * cols, cols);
        return Nd4j.create(v, new long[] {rows + 1, cols}, 'c');
    }

    private static INDArray matrix(float[] v, int rows, int cols) {
        if (v.length != (long) rows * cols) {
            throw new IllegalArgumentException("expected " + rows + " x " + cols + " values, got " + v.length);
        }
        return Nd4j.create(v, new long[] {rows, cols}, 'c');
    }

    /** The start of a whole (not view) array's buffer, as the BLAS takes it. */
    private static FloatPointer pointer(INDArray a) {
        if (a.isView() || a.dataType() != DataType.FLOAT || a.ordering() != 'c') {
            throw new IllegalStateException("expected a whole row-major float array");
        }
        return new FloatPointer(a.data().addressPointer());
    }

    /** {@code base + offset} elements, a fresh pointer (the base keeps its position). */
    private static FloatPointer at(FloatPointer base, long offset) {
        return new FloatPointer(base).position(base.position() + offset);
    }

    /** Row-major {@code C = alpha A op(B)} ({@code m x k} times {@code k x n}) with leading dimensions. */
    private static void gemm(int m, int n, int k, float alpha, FloatPointer a, int lda, FloatPointer b, int ldb,
                             boolean transB, FloatPointer c, int ldc) {
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans, m, n, k, alpha, a, lda, b, ldb,
                0f, c, ldc);
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
        for (int b = 0; b < batch; b++) {
            if (tokenIds[b].length != seq || typeIds[b].length != seq || valid[b].length != seq) {
                throw new IllegalArgumentException("sequence " + b + " does not have the batch's length " + seq);
            }
            for (int i = 0; i < seq; i++) {
                checked(tokenIds[b][i], w.vocabSize(), "token id", b, i);
                checked(typeIds[b][i], w.typeVocabSize(), "token type id", b, i);
            }
        }
        if (work == null || work.batch != batch || work.seq != seq) {
            work = null;
            work = new Work(batch, seq, hidden, inner, heads);
        }
        Work ws = work;
        int h = hidden;
        int ha = h + 1;
        int rows = batch * seq;
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < seq; i++) {
                int r = b * seq + i;
                int wo = tokenIds[b][i] * h;
                int po = i * h;
                int to = typeIds[b][i] * h;
                for (int j = 0; j < h; j++) {
                    ws.acch[r * h + j] = word[wo + j] + position[po + j] + type[to + j];
                }
            }
        }
        addAndNormalize(ws, null, false, embG, embB);
        for (Layer l : layers) {
            ws.xP.put(ws.xh, 0, ws.xh.length);
            gemm(rows, 3 * h, ha, 1f, ws.xP, ha, pointer(l.qkv), 3 * h, false, ws.qkvP, 3 * h);
            for (int b = 0; b < batch; b++) {
                attend(ws, b, valid[b]);
            }
            gemm(rows, h, h, 1f, ws.ctxP, h, pointer(l.o), h, false, ws.accP, h);
            ws.accP.get(ws.acch, 0, ws.acch.length);
            addAndNormalize(ws, l.ob, true, l.ln1g, l.ln1b);
            ws.xP.put(ws.xh, 0, ws.xh.length);
            gemm(rows, inner, ha, 1f, ws.xP, ha, pointer(l.in), inner, false, ws.interP, inner);
            ws.interP.get(ws.interh, 0, ws.interh.length);
            activation(ws.interh);
            ws.interP.put(ws.interh, 0, ws.interh.length);
            gemm(rows, h, inner, 1f, ws.interP, inner, pointer(l.out), h, false, ws.accP, h);
            ws.accP.get(ws.acch, 0, ws.acch.length);
            addAndNormalize(ws, l.outb, true, l.ln2g, l.ln2b);
        }
        double[] out = new double[rows * h];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < h; j++) {
                out[r * h + j] = ws.xh[r * ha + j];
            }
        }
        return out;
    }

    private static int checked(int id, int bound, String what, int b, int i) {
        if (id < 0 || id >= bound) {
            throw new IllegalArgumentException(what + " " + id + " at sequence " + b + ", position " + i
                    + " is outside [0, " + bound + ")");
        }
        return id;
    }

    /**
     * {@code x = LayerNorm(x + (acc + bias))} row by row, from the heap copy of the sublayer's output
     * ({@code acc}) into the heap copy of the input ({@code x}); with {@code residual} false, {@code x = LayerNorm(acc)}.
     * Each row goes through two scratch rows, so that every loop reads and writes its arrays at one
     * index (the JIT vectorizes only such loops when the arrays might be the same).
     */
    private void addAndNormalize(Work ws, float[] bias, boolean residual, float[] gamma, float[] beta) {
        int h = hidden;
        int ha = h + 1;
        float[] z = ws.row;
        float[] a = ws.row2;
        int rows = ws.batch * ws.seq;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(ws.acch, r * h, a, 0, h);
            if (residual) {
                System.arraycopy(ws.xh, r * ha, z, 0, h);
                for (int j = 0; j < h; j++) {
                    z[j] = z[j] + (a[j] + bias[j]);
                }
            } else {
                System.arraycopy(a, 0, z, 0, h);
            }
            float mean = sumFloat(z, 0, h) / h;
            for (int j = 0; j < h; j++) {
                z[j] -= mean;
            }
            for (int j = 0; j < h; j++) {
                a[j] = z[j] * z[j];
            }
            float var = sumFloat(a, 0, h) / h;
            float inv = (float) (1 / Math.sqrt(var + (float) eps));
            for (int j = 0; j < h; j++) {
                z[j] = z[j] * inv * gamma[j] + beta[j];
            }
            System.arraycopy(z, 0, ws.xh, r * ha, h);
        }
    }

    /** {@code v = act(v)} in place on the feed-forward's inner activations (their bias already added). */
    private void activation(float[] v) {
        if (gelu != null) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) gelu.applyAsDouble(v[i]);
            }
            return;
        }
        for (int i = 0; i < v.length; i++) {
            float x = v[i];
            // erf(x / sqrt 2) as a rational function of a clamped argument (erf is +-1 in float32 beyond 4);
            // one array and one index, so that the JIT vectorizes the loop
            float t = Math.min(Math.max(x * 0.70710677f, -4f), 4f);
            float t2 = t * t;
            float p = -2.72614225801306e-10f;
            p = p * t2 + 2.77068142495902e-08f;
            p = p * t2 + -2.10102402082508e-06f;
            p = p * t2 + -5.69250639462346e-05f;
            p = p * t2 + -7.34990630326855e-04f;
            p = p * t2 + -2.95459980854025e-03f;
            p = p * t2 + -1.60960333262415e-02f;
            float q = -1.45660718464996e-05f;
            q = q * t2 + -2.13374055278905e-04f;
            q = q * t2 + -1.68282697438203e-03f;
            q = q * t2 + -7.37332916720468e-03f;
            q = q * t2 + -1.42647390514189e-02f;
            v[i] = 0.5f * x * (1f + t * p / q);
        }
    }

    /** Scaled dot-product attention of sequence {@code b}, head by head; padded keys get weight 0. */
    private void attend(Work ws, int b, boolean[] valid) {
        int h = hidden;
        int n = ws.seq;
        int d = h / heads;
        boolean padded = false;
        for (int j = 0; j < n; j++) {
            padded |= !valid[j];
            if (attention == ReferenceBert.Attention.SOFTMAX) {
                ws.mask[j] = valid[j] ? 0 : -1e30f;
            } else {
                ws.mask[j] = valid[j] ? 1 : 0;
            }
        }
        float[] s = ws.headScores;
        int chunk = ws.chunk;
        float scale = (float) (1 / Math.sqrt(d));
        long base = (long) b * n * 3 * h;
        long ctxBase = (long) b * n * h;
        for (int hd = 0; hd < heads; hd++) {
            long scoresOff = (long) hd * n * n;
            for (int r0 = 0; r0 < n; r0 += chunk) {
                int m = Math.min(chunk, n - r0);
                gemm(m, n, d, scale, at(ws.qkvP, base + (long) r0 * 3 * h + (long) hd * d), 3 * h,
                        at(ws.qkvP, base + h + (long) hd * d), 3 * h, true, at(ws.scoresP, scoresOff + (long) r0 * n), n);
            }
            FloatPointer sp = at(ws.scoresP, scoresOff);
            sp.get(s, 0, n * n);
            if (attention == ReferenceBert.Attention.SOFTMAX) {
                softmaxRows(s, n, n, padded ? ws.mask : null);
            } else {
                twoQuadRows(s, n, n, padded ? ws.mask : null);
            }
            sp.put(s, 0, n * n);
            for (int r0 = 0; r0 < n; r0 += chunk) {
                int m = Math.min(chunk, n - r0);
                gemm(m, d, n, 1f, at(ws.scoresP, scoresOff + (long) r0 * n), n, at(ws.qkvP, base + 2L * h + (long) hd * d),
                        3 * h, false, at(ws.ctxP, ctxBase + (long) r0 * h + (long) hd * d), h);
            }
        }
    }

    /**
     * Softmax of each of {@code rows} rows of {@code n} scores, in place: {@code exp(t - max t) / sum},
     * {@code t = s + mask} (mask 0 for real keys, -1e30 for padded ones, whose weight is then exactly
     * 0; null when there is no padding).
     */
    private static void softmaxRows(float[] s, int rows, int n, float[] mask) {
        if (VECTOR_EXP) {
            Simd.softmaxRows(s, rows, n, mask);
            return;
        }
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            if (mask != null) {
                for (int j = 0; j < n; j++) {
                    s[o + j] += mask[j];
                }
            }
            float max = maxFloat(s, o, n);
            for (int j = o; j < o + n; j++) {
                s[j] = scalarExp(s[j] - max);
            }
            float sum = sumFloat(s, o, n);
            for (int j = o; j < o + n; j++) {
                s[j] /= sum;
            }
        }
    }

    /** MPCFormer's 2Quad of each row, in place: {@code (s + 5)^2 keep / sum}, keep 1 for real keys and 0 for padded ones (null: all real). */
    private static void twoQuadRows(float[] s, int rows, int n, float[] keep) {
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            if (keep != null) {
                for (int j = 0; j < n; j++) {
                    float shifted = s[o + j] + 5;
                    s[o + j] = shifted * shifted * keep[j];
                }
            } else {
                for (int j = o; j < o + n; j++) {
                    float shifted = s[j] + 5;
                    s[j] = shifted * shifted;
                }
            }
            float sum = sumFloat(s, o, n);
            for (int j = o; j < o + n; j++) {
                s[j] /= sum;
            }
        }
    }

    /** A float sum with eight independent partial sums (the JIT keeps a single one sequential). */
    private static float sumFloat(float[] v, int from, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int j = from;
        int end = from + n;
        for (; j + 7 < end; j += 8) {
            s0 += v[j];
            s1 += v[j + 1];
            s2 += v[j + 2];
            s3 += v[j + 3];
            s4 += v[j + 4];
            s5 += v[j + 5];
            s6 += v[j + 6];
            s7 += v[j + 7];
        }
        for (; j < end; j++) {
            s0 += v[j];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** The largest of {@code v[from .. from + n)}, with eight independent partial maxima. */
    private static float maxFloat(float[] v, int from, int n) {
        float m0 = Float.NEGATIVE_INFINITY;
        float m1 = m0;
        float m2 = m0;
        float m3 = m0;
        float m4 = m0;
        float m5 = m0;
        float m6 = m0;
        float m7 = m0;
        int j = from;
        int end = from + n;
        for (; j + 7 < end; j += 8) {
            m0 = Math.max(m0, v[j]);
            m1 = Math.max(m1, v[j + 1]);
            m2 = Math.max(m2, v[j + 2]);
            m3 = Math.max(m3, v[j + 3]);
            m4 = Math.max(m4, v[j + 4]);
            m5 = Math.max(m5, v[j + 5]);
            m6 = Math.max(m6, v[j + 6]);
            m7 = Math.max(m7, v[j + 7]);
        }
        for (; j < end; j++) {
            m0 = Math.max(m0, v[j]);
        }
        return Math.max(Math.max(Math.max(m0, m1), Math.max(m2, m3)), Math.max(Math.max(m4, m5), Math.max(m6, m7)));
    }

    /**
     * exp in float32 (Cephes' expf: Cody-Waite reduction, degree-5 polynomial), relative error below
     * 1e-7; 0 below the float32 range, which takes in the -1e30 of masked keys.
     */
    private static float scalarExp(float x) {
        if (!(x >= -87.33654f)) {
            return x != x ? x : 0f;
        }
        if (x > 88.72283f) {
            return Float.POSITIVE_INFINITY;
        }
        float k = Math.round(x * 1.44269504f);
        float r = x - k * 0.693359375f - k * -2.12194440e-4f;
        float p = 1.9875691500e-4f;
        p = p * r + 1.3981999507e-3f;
        p = p * r + 8.3334519073e-3f;
        p = p * r + 4.1665795894e-2f;
        p = p * r + 1.6666665459e-1f;
        p = p * r + 5.0000001201e-1f;
        p = p * r * r + r + 1f;
        int e = (int) k;
        // 2^e in two factors, so that e = 128 (x near the top of the range) stays finite
        return p * Float.intBitsToFloat((e / 2 + 127) << 23) * Float.intBitsToFloat((e - e / 2 + 127) << 23);
    }

    private static boolean vectorExpAvailable() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty() || Boolean.getBoolean("secformer.scalarKernels")) {
            return false;
        }
        try {
            float[] probe = {0f, 1f, -1e30f, 0f};
            Simd.softmaxRows(probe, 1, probe.length, null);
            double sum = 1 + 2 * Math.exp(-1);
            double[] want = {Math.exp(-1) / sum, 1 / sum, 0, Math.exp(-1) / sum};
            for (int i = 0; i < probe.length; i++) {
                if (Math.abs(probe[i] - want[i]) > 1e-6) {
                    return false;
                }
            }
            return true;
        } catch (LinkageError e) {
            return false;
        }
    }

    /** Softmax rows through jdk.incubator.vector (exp from Intel SVML); loaded only when the JVM has that module. */
    private static final class Simd {
        private static final jdk.incubator.vector.VectorSpecies<Float> SPECIES =
                jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;

        static void softmaxRows(float[] s, int rows, int n, float[] mask) {
            int lanes = SPECIES.length();
            int body = SPECIES.loopBound(n);
            for (int r = 0; r < rows; r++) {
                int o = r * n;
                if (mask != null) {
                    for (int j = 0; j < n; j++) {
                        s[o + j] += mask[j];
                    }
                }
                var max = jdk.incubator.vector.FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
                for (int j = 0; j < body; j += lanes) {
                    max = max.max(jdk.incubator.vector.FloatVector.fromArray(SPECIES, s, o + j));
                }
                float m = max.reduceLanes(jdk.incubator.vector.VectorOperators.MAX);
                for (int j = body; j < n; j++) {
                    m = Math.max(m, s[o + j]);
                }
                var sum = jdk.incubator.vector.FloatVector.zero(SPECIES);
                for (int j = 0; j < body; j += lanes) {
                    var e = jdk.incubator.vector.FloatVector.fromArray(SPECIES, s, o + j).sub(m)
                            .lanewise(jdk.incubator.vector.VectorOperators.EXP);
                    e.intoArray(s, o + j);
                    sum = sum.add(e);
                }
                float total = sum.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
                if (body < n) {
                    var tail = SPECIES.indexInRange(body, n);
                    var e = jdk.incubator.vector.FloatVector.fromArray(SPECIES, s, o + body, tail).sub(m)
                            .lanewise(jdk.incubator.vector.VectorOperators.EXP, tail);
                    e.intoArray(s, o + body, tail);
                    total += e.reduceLanes(jdk.incubator.vector.VectorOperators.ADD, tail);
                }
                for (int j = o; j < o + n; j++) {
                    s[j] /= total;
                }
            }
        }
    }
}
