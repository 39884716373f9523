package dev.secformer.protocols;

import java.util.Arrays;

import dev.secformer.core.Beaver;
import dev.secformer.core.Party;
import dev.secformer.core.ProductBatch;
import dev.secformer.core.SharedTensor;
import dev.secformer.core.Truncation;

/**
 * The CrypTen LayerNorm baseline: variance, then its square root and the reciprocal of that, as
 * the CrypTen LayerNorm in SecFormer's comparison scripts does ({@code (var + eps).sqrt().reciprocal()},
 * where CrypTen's sqrt is x * inv_sqrt(x)). The stored CrypTen sources have no LayerNorm module, so
 * the method follows SecFormer's reproduction of it.
 *
 * <pre>
 *   c   = x - mean                          the row sum divided by d (1 round)
 *   round 2:  q = c^2, g = gamma * c        Beaver squares and a column-broadcast product
 *   v   = sum(q) / (d 2^f) + eps            one truncation, with g's (1 round)
 *   i   = inv_sqrt(v)                       {@link NewtonInverseSqrt} (18 rounds)
 *   sd  = v * i                             Beaver product: CrypTen's sqrt, and its truncation (2 rounds)
 *   r   = 1 / sd                            {@link NewtonReciprocal} (29 rounds)
 *   out = g * r + beta                      row-broadcast Beaver product and its truncation (2 rounds)
 * </pre>
 *
 * <p>Rounds, with the exact truncation: 54 (48 with the local one). Online bytes for R rows of
 * d, n = R d (both parties): 80 n + 16 d + 1264 R; dealer bytes 56 n + 1528 R. Per element of a
 * 768-wide row: about 82 online and 58 dealer bytes.
 *
 * <p>Domain: variances in [0.2, 150] (the inverse square root's; sqrt(var) then lies inside the
 * reciprocal's [0.0025, 480]), or exactly 0 (a constant row gives beta). Accuracy, as defined in
 * {@link SecureLayerNorm}: largest |out - exact| / (|gamma| + |gamma z|) over three runs of 64
 * BERT-like rows of 384 and 768 with variances log-uniform in [0.2, 150]: 2.8e-3, dominated by
 * CrypTen's three inverse-square-root steps. BERT's eps 1e-12 encodes to 0 at f = 16 and is dropped.
 */
public final class CryptenLayerNorm implements LayerNormProtocol {
    private final NewtonInverseSqrt inverseSqrt;
    private final NewtonReciprocal reciprocal;
    private final double epsilon;

    /** CrypTen's defaults and BERT's epsilon. */
    public CryptenLayerNorm() {
        this(new NewtonInverseSqrt(), new NewtonReciprocal(), SecureLayerNorm.BERT_EPSILON);
    }

    public CryptenLayerNorm(NewtonInverseSqrt inverseSqrt, NewtonReciprocal reciprocal, double epsilon) {
        if (!(epsilon >= 0)) {
            throw new IllegalArgumentException("epsilon must be >= 0, got " + epsilon);
        }
        this.inverseSqrt = inverseSqrt;
        this.reciprocal = reciprocal;
        this.epsilon = epsilon;
    }

    /** Communication rounds of one call with the exact truncation. */
    public int rounds() {
        return 3 + inverseSqrt.rounds() + 2 + reciprocal.rounds() + 2;
    }

    @Override
    public SharedTensor apply(Party p, SharedTensor x, SharedTensor gamma, SharedTensor beta) {
        int d = LayerNormShapes.width(x, gamma, beta);
        int f = p.fixedPoint().fractionBits();
        try (var ph = p.phase("crypten-layernorm")) {
            SharedTensor c = LayerNormShapes.center(p, x, d);
            ProductBatch first = new ProductBatch(p);
            int sq = first.square(c);
            int g = BroadcastProduct.columnBroadcast(first, p, c, gamma);
            SharedTensor[] r1 = first.run();
            ProductBatch rescale = new ProductBatch(p);
            int v = Truncation.join(rescale, r1[sq].sumLastAxis(), (long) d << f);
            int gcIndex = Truncation.join(rescale, r1[g], f);
            SharedTensor[] r2 = rescale.run();
            SharedTensor variance = r2[v].addPublic(p.fixedPoint().encode(epsilon));
            SharedTensor gc = r2[gcIndex];

            double[] lo = new double[variance.size()];
            double[] hi = new double[variance.size()];
            Arrays.fill(lo, NewtonInverseSqrt.MIN_INPUT);
            Arrays.fill(hi, NewtonInverseSqrt.MAX_INPUT);
            BoundsCheck.require(p, variance, f, lo, hi, true, "CryptenLayerNorm", "row variance");
            SharedTensor inv = inverseSqrt.compute(p, variance);
            SharedTensor sd = Truncation.truncate(p, Beaver.mul(p, variance, inv), f);
            SharedTensor r = reciprocal.compute(p, sd);

            ProductBatch last = new ProductBatch(p);
            int o = BroadcastProduct.rowBroadcast(last, p, gc, r);
            return Truncation.truncate(p, last.run()[o], f).add(beta);
        }
    }
}
