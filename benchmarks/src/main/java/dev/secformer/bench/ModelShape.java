package dev.secformer.bench;

import dev.secformer.nn.secure.SyntheticBert;
import java.util.Locale;

/** The model shapes the harness can build with synthetic weights (no checkpoint of these ships on Maven Central). */
public enum ModelShape {
    /** BERT-base: 12 layers, hidden 768. */
    BASE,
    /** BERT-large: 24 layers, hidden 1024. */
    LARGE,
    /** Two layers of hidden 128 with BERT's vocabulary: seconds per inference, for tests and trial runs. */
    TINY;

    /** The synthetic weights of this shape (seed 1). */
    public SyntheticBert weights() {
        return switch (this) {
            case BASE -> SyntheticBert.base(1);
            case LARGE -> SyntheticBert.large(1);
            case TINY -> new SyntheticBert(128, 2, 2, 512, 30522, 512, 2, 1);
        };
    }

    /** The name used on the command line and in the reports: base, large or tiny. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
