package dev.secformer.nn.secure;

import dev.secformer.protocols.CryptenComparison;
import dev.secformer.protocols.CryptenGelu;
import dev.secformer.protocols.CryptenLayerNorm;
import dev.secformer.protocols.ExactSoftmax;
import dev.secformer.protocols.PumaGelu;
import dev.secformer.protocols.QuadGelu;
import dev.secformer.protocols.SecureGelu;
import dev.secformer.protocols.SecureLayerNorm;
import dev.secformer.protocols.TwoQuadSoftmax;

/** The protocol suites the library ships. */
public final class ProtocolSuites {
    /** Embedding LayerNorm inputs: row variances in [1e-4, 10]. */
    public static final double EMBEDDING_MIN_VARIANCE = 1e-4;
    public static final double EMBEDDING_MAX_VARIANCE = 10;

    private ProtocolSuites() {
    }

    private static SecureLayerNorm embeddingLayerNorm() {
        return new SecureLayerNorm(EMBEDDING_MIN_VARIANCE, EMBEDDING_MAX_VARIANCE, SecureLayerNorm.BERT_EPSILON);
    }

    /** SecFormer: segmented Fourier GeLU, 2Quad attention, Goldschmidt LayerNorm (needs a distilled model). */
    public static ProtocolSuite secformer() {
        return secformer(TwoQuadSoftmax.DEFAULT_MAX_MEAN_TERM);
    }

    /**
     * SecFormer's suite for a model whose attention rows have mean terms (s + 5)^2 up to
     * {@code maxMeanTerm} (a distilled model's attention can be sharper than the default 128
     * allows; {@code dev.secformer.nn.train.AttentionRange} measures it). A wider range costs one
     * Goldschmidt step (one round per layer) per doubling.
     */
    public static ProtocolSuite secformer(double maxMeanTerm) {
        TwoQuadSoftmax quad = new TwoQuadSoftmax(TwoQuadSoftmax.DEFAULT_SHIFT, TwoQuadSoftmax.DEFAULT_MIN_MEAN_TERM,
                Math.max(TwoQuadSoftmax.DEFAULT_MAX_MEAN_TERM, maxMeanTerm));
        return new ProtocolSuite("secformer", new SecureGelu(), quad, embeddingLayerNorm(), new SecureLayerNorm());
    }

    /** SecFormer's GeLU and LayerNorm with the exact softmax protocol: runs any pretrained checkpoint. */
    public static ProtocolSuite accurate() {
        return new ProtocolSuite("accurate", new SecureGelu(), new ExactSoftmax(), embeddingLayerNorm(), new SecureLayerNorm());
    }

    /** CrypTen's protocols: Taylor-series GeLU, exact softmax on A2B comparisons, sqrt-then-reciprocal LayerNorm. */
    public static ProtocolSuite crypten() {
        return new ProtocolSuite("crypten", new CryptenGelu(), new ExactSoftmax(new CryptenComparison()),
                new CryptenLayerNorm(), new CryptenLayerNorm());
    }

    /** PUMA's GeLU with exact softmax and CrypTen's LayerNorm, in this framework. */
    public static ProtocolSuite puma() {
        return new ProtocolSuite("puma", new PumaGelu(), new ExactSoftmax(), new CryptenLayerNorm(), new CryptenLayerNorm());
    }

    /** MPCFormer: Quad GeLU and 2Quad attention (needs a model distilled for both). */
    public static ProtocolSuite mpcformer() {
        return new ProtocolSuite("mpcformer", new QuadGelu(), new TwoQuadSoftmax(), new CryptenLayerNorm(), new CryptenLayerNorm());
    }

    /** The suite of a name: secformer, accurate, crypten, puma or mpcformer. */
    public static ProtocolSuite named(String name) {
        return switch (name) {
            case "secformer" -> secformer();
            case "accurate" -> accurate();
            case "crypten" -> crypten();
            case "puma" -> puma();
            case "mpcformer" -> mpcformer();
            default -> throw new IllegalArgumentException("unknown protocol suite \"" + name
                    + "\" (expected secformer, accurate, crypten, puma or mpcformer)");
        };
    }
}
