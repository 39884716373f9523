package dev.secformer.core;

import java.util.Arrays;
import java.util.List;

import dev.secformer.core.Correlation.DerivedPart;
import dev.secformer.core.Correlation.RandomPart;

/**
 * Division of shares by a public divisor: the fixed-point rescaling after a product, in the form
 * the party's {@link FixedPoint#exactTruncation()} names.
 *
 * <p><b>Local</b> (SecureML): party 0 divides its share, party 1 the negation of its share and
 * negates back. No communication; for a secret x the result is right up to one unit except with
 * probability |x| / 2^64 per element, where it is off by about 2^64 / d: a wrong value that
 * nothing flags.
 *
 * <p><b>Exact</b>, with the dealer's help: right for every |x| &lt; 2^62. With x' = x + 2^62, in
 * [0, 2^63) so its top bit is 0, and a divisor d:
 * <ol>
 *   <li>Dealer (offline): a fresh uniform A; shares of floor(A / d) and of msb(A).</li>
 *   <li>Open E = x' + A mod 2^64 (one round): uniform, as A is.</li>
 *   <li>As integers x' = E - A + 2^64 w with the wrap w = [E &lt; A]. Because x' &lt; 2^63,
 *       w = msb(A) (1 - msb(E)): linear in the shared bit msb(A) once E is public. Each party
 *       computes, locally, floor(E / d) - floor(A / d) + w floor(2^64 / d) - floor(2^62 / d)
 *       (party 0 adds the public terms).</li>
 * </ol>
 * The result is floor(x / d) or floor(x / d) + 1 for a power of two d (the borrow of the low
 * bits) and within 2 units of x / d for other divisors (three floors).
 *
 * <p>Cost per element: one round (shared with the other openings of a {@link ProductBatch} it
 * joins), 8 bytes sent per party, 2 dealer elements to party 1 (16 bytes). The local form costs
 * nothing.
 */
public final class Truncation {
    /** Added to x before it is masked, so that x + 2^62 has top bit 0 for every |x| &lt; 2^62. */
    public static final long OFFSET = 1L << 62;

    private Truncation() {
    }

    /** Shares of {@code x / 2^bits} (rounded down, up to one unit); one round if exact. */
    public static SharedTensor truncate(Party p, SharedTensor x, int bits) {
        ProductBatch b = new ProductBatch(p);
        join(b, x, powerOfTwo(bits));
        return b.run()[0];
    }

    /** Every tensor divided by {@code 2^bits}, in one round if exact. */
    public static SharedTensor[] truncateAll(Party p, int bits, SharedTensor... xs) {
        ProductBatch b = new ProductBatch(p);
        for (SharedTensor x : xs) {
            join(b, x, powerOfTwo(bits));
        }
        return b.run();
    }

    /**
     * Shares of x / d_g for group g of {@code x} (the g-th run of {@code x.size() / divisors.length}
     * consecutive elements); one round if exact.
     */
    public static SharedTensor divide(Party p, SharedTensor x, long... divisors) {
        ProductBatch b = new ProductBatch(p);
        join(b, x, divisors);
        return b.run()[0];
    }

    /** Adds {@code x / 2^bits} to {@code batch}'s round; returns its index in the batch's results. */
    public static int join(ProductBatch batch, SharedTensor x, int bits) {
        return join(batch, x, powerOfTwo(bits));
    }

    /**
     * Adds x divided groupwise by {@code divisors} (see {@link #divide}) to {@code batch}'s round;
     * returns its index in the batch's results.
     */
    public static int join(ProductBatch batch, SharedTensor x, long... divisors) {
        Party p = batch.party();
        if (!p.fixedPoint().exactTruncation()) {
            SharedTensor local = local(x, divisors);
            return batch.add(new ProductBatch.Product() {
                public SharedTensor[] masked() {
                    return new SharedTensor[0];
                }

                public SharedTensor finish(RingTensor[] opened) {
                    return local;
                }
            });
        }
        return joinExact(batch, x, divisors);
    }

    /**
     * {@link #join(ProductBatch, SharedTensor, int)} exact whatever the fixed point's mode: for
     * values too large for the local truncation (which fails with probability |x| / 2^64).
     */
    public static int joinExact(ProductBatch batch, SharedTensor x, int bits) {
        return joinExact(batch, x, powerOfTwo(bits));
    }

    /** {@link #join(ProductBatch, SharedTensor, long...)} exact whatever the fixed point's mode. */
    public static int joinExact(ProductBatch batch, SharedTensor x, long... divisors) {
        Party p = batch.party();
        long[][] t = p.dealer().draw(correlation(x.size(), divisors));
        long[] a = t[0];
        long[] aDivided = t[1];
        long[] aTop = t[2];
        return batch.add(new ProductBatch.Product() {
            public SharedTensor[] masked() {
                return new SharedTensor[] {x.addPublic(OFFSET).add(new SharedTensor(p.id(), RingTensor.of(a, x.shape())))};
            }

            public SharedTensor finish(RingTensor[] opened) {
                long[] e = opened[0].data();
                long[] z = new long[e.length];
                boolean own = p.id() == 0;
                int group = e.length / divisors.length;
                for (int g = 0; g < divisors.length; g++) {
                    Divisor d = new Divisor(divisors[g]);
                    for (int i = g * group; i < (g + 1) * group; i++) {
                        z[i] = (own ? d.publicPart(e[i]) : 0) + d.maskShare(e[i], aDivided[i], aTop[i]);
                    }
                }
                return new SharedTensor(p.id(), RingTensor.of(z, x.shape()));
            }
        });
    }

    /** The local form: each party divides its own share, party 1 rounding up. */
    static SharedTensor local(SharedTensor x, long... divisors) {
        checkGroups(x.size(), divisors);
        RingTensor s = x.share();
        if (divisors.length == 1 && Long.bitCount(divisors[0]) == 1 && divisors[0] > 0) {
            int k = Long.numberOfTrailingZeros(divisors[0]);
            return new SharedTensor(x.partyId(), x.partyId() == 0 ? s.shiftRight(k) : s.shiftRightRoundingUp(k));
        }
        long[] in = s.data();
        long[] out = new long[in.length];
        int group = in.length / divisors.length;
        boolean first = x.partyId() == 0;
        for (int i = 0; i < in.length; i++) {
            long d = divisors[i / group];
            out[i] = first ? Math.floorDiv(in[i], d) : -Math.floorDiv(-in[i], d);
        }
        return new SharedTensor(x.partyId(), RingTensor.of(out, s.shape()));
    }

    private static void checkGroups(int n, long[] divisors) {
        if (divisors.length == 0 || n % divisors.length != 0) {
            throw new IllegalArgumentException(divisors.length + " divisors do not divide " + n + " elements");
        }
        for (long d : divisors) {
            if (d < 1) {
                throw new IllegalArgumentException("divisor must be a positive integer, got " + d);
            }
        }
    }

    /** The dealer's recipe: fresh A; derived floor(A / d) (per group) and msb(A). */
    public static Correlation correlation(int n, long... divisors) {
        checkGroups(n, divisors);
        long[] params = new long[divisors.length + 1];
        params[0] = n;
        System.arraycopy(divisors, 0, params, 1, divisors.length);
        long[] ds = divisors.clone();
        return new BasicCorrelation("truncation", params, List.of(RandomPart.fresh(n)),
                List.of(DerivedPart.additive(n), DerivedPart.additive(n)), r -> maskParts(r[0], ds));
    }

    /**
     * The dealer's parts of truncation masks A, divided groupwise by {@code divisors} (see
     * {@link #divide}): floor(A / d) and msb(A).
     */
    public static long[][] maskParts(long[] a, long... divisors) {
        long[] divided = new long[a.length];
        long[] top = new long[a.length];
        int group = a.length / divisors.length;
        for (int g = 0; g < divisors.length; g++) {
            Divisor d = new Divisor(divisors[g]);
            for (int i = g * group; i < (g + 1) * group; i++) {
                divided[i] = d.divide(a[i]);
                top[i] = a[i] >>> 63;
            }
        }
        return new long[][] {divided, top};
    }

    static Correlation fromParameters(long[] params) {
        if (params.length < 2) {
            throw new IllegalArgumentException("truncation needs a size and at least one divisor");
        }
        return correlation(Math.toIntExact(params[0]), Arrays.copyOfRange(params, 1, params.length));
    }

    private static long[] powerOfTwo(int bits) {
        if (bits < 0 || bits > 62) {
            throw new IllegalArgumentException("truncation by " + bits + " bits is out of range [0, 62]");
        }
        return new long[] {1L << bits};
    }

    /**
     * How a party reads x / d from the opening E = x + 2^62 + A: the public part D and its share of
     * the mask, D + mask = x / d. Every protocol that truncates an operand on the way into its
     * products reads it through this ({@link TruncatedProducts}, a comparison's bit-times-value
     * products).
     */
    public static final class Divisor {
        private final long d;
        private final int shift;
        private final long wrap;
        private final long offset;

        /** Division by a public d &gt;= 1. */
        public Divisor(long d) {
            if (d < 1) {
                throw new IllegalArgumentException("divisor must be a positive integer, got " + d);
            }
            this.d = d;
            this.shift = Long.bitCount(d) == 1 ? Long.numberOfTrailingZeros(d) : -1;
            this.wrap = shift == 0 ? 0 : shift > 0 ? 1L << (64 - shift) : Long.divideUnsigned(-1L, d);
            this.offset = Long.divideUnsigned(OFFSET, d);
        }

        /** Truncation by {@code bits} in [0, 62]. */
        public static Divisor powerOfTwo(int bits) {
            return new Divisor(Truncation.powerOfTwo(bits)[0]);
        }

        /** floor(v / d), v read as unsigned. */
        long divide(long v) {
            return shift >= 0 ? v >>> shift : Long.divideUnsigned(v, d);
        }

        /** W = floor(2^64 / d) as a ring word (0 for d = 1): the weight of the wrap. */
        public long wrap() {
            return wrap;
        }

        /** D = floor(E / d) - floor(2^62 / d), public (party 0 adds it). */
        public long publicPart(long opened) {
            return divide(opened) - offset;
        }

        /**
         * This party's share of the mask, e W msb(A) - floor(A / d) with e = 1 - msb(E), from its
         * shares of floor(A / d) and msb(A); linear, so shares of b floor(A / d) and b msb(A) give
         * shares of b times the mask.
         */
        public long maskShare(long opened, long dividedShare, long topShare) {
            return (opened >= 0 ? wrap * topShare : 0) - dividedShare;
        }
    }
}
