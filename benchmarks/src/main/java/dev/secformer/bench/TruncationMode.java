package dev.secformer.bench;

import dev.secformer.core.FixedPoint;
import java.util.Locale;

/** How a harness run rescales fixed-point products (see {@link dev.secformer.core.Truncation}). */
public enum TruncationMode {
    /** The dealer-assisted truncation, right for every value below 2^62: the library's default. */
    EXACT,
    /** SecureML's local truncation: no communication, wrong with probability |x| / 2^64 per element. */
    LOCAL;

    /** The fixed-point codec of the parties in this mode. */
    public FixedPoint fixedPoint() {
        return FixedPoint.standard().withExactTruncation(this == EXACT);
    }

    /** How the reports describe it. */
    public String description() {
        return this == EXACT ? "exact truncation" : "local truncation (fails with probability |x| / 2^64 per element)";
    }

    /** The name used on the command line and in the reports: exact or local. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
