package dev.secformer.core;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The dealer as a party sees it (CrypTen's TTP scheme). Party 0 draws every share from its seeded
 * PRG and never talks to the dealer after receiving its seed. Party 1 draws its random shares from
 * its own seeded PRG and receives only the corrections of the derived parts through a
 * {@link DealerLink}; those bytes are recorded as dealer bytes in the party's {@link CostMeter}.
 *
 * <p>A persistent part that the parties draw (a weight's mask B, drawn to open W - B) may be drawn
 * once per session: drawn for a second value, its openings would reveal the difference of the two.
 */
public final class SeededRandomness implements CorrelatedRandomness {
    private final int partyId;
    private final Prg prg;
    private final Prg persistent;
    private final DealerLink link;
    private final CostMeter meter;
    private final Set<Long> persistentDrawn = new HashSet<>();

    /**
     * @param seed           this party's session seed, shared with the dealer: every fresh part
     * @param persistentSeed this party's persistent seed of the model load: every persistent part
     * @param link           the dealer link (party 1 only; null for party 0)
     * @param meter          where dealer bytes are recorded
     */
    public SeededRandomness(int partyId, byte[] seed, byte[] persistentSeed, DealerLink link, CostMeter meter) {
        if (partyId != 0 && partyId != 1) {
            throw new IllegalArgumentException("party id must be 0 or 1, got " + partyId);
        }
        if ((partyId == 1) != (link != null)) {
            throw new IllegalArgumentException("party 1, and only party 1, needs a dealer link");
        }
        this.partyId = partyId;
        this.prg = new Prg(seed);
        this.persistent = new Prg(persistentSeed);
        this.link = link;
        this.meter = meter;
    }

    @Override
    public long[][] draw(Correlation c) {
        List<Correlation.RandomPart> random = c.randomParts();
        List<Correlation.DerivedPart> derived = c.derivedParts();
        long[][] out = new long[random.size() + derived.size()][];
        drawFreshParts(prg, random, out);
        for (int i = 0; i < random.size(); i++) {
            Correlation.RandomPart p = random.get(i);
            if (p.persistentKey() != null && !p.dealerOnly()) {
                if (!persistentDrawn.add(p.persistentKey())) {
                    throw new IllegalStateException(c.kind() + ": persistent part " + p.persistentKey()
                            + " drawn twice in one session; a mask opened against two values reveals their difference");
                }
                out[i] = persistent.derive(p.persistentKey()).nextLongs(p.size());
            }
        }
        if (partyId == 0) {
            for (int i = 0; i < derived.size(); i++) {
                out[random.size() + i] = prg.nextLongs(derived.get(i).size());
            }
        } else {
            // Every draw goes to the link, also one without derived parts: the dealer mirrors this
            // party's stream and must advance it too (the link need not wait for an empty answer).
            long[][] corr = link.corrections(c);
            if (corr.length != derived.size()) {
                throw new IllegalStateException(c.kind() + ": dealer sent " + corr.length + " derived parts, expected "
                        + derived.size());
            }
            long bytes = 0;
            for (int i = 0; i < derived.size(); i++) {
                if (corr[i].length != derived.get(i).size()) {
                    throw new IllegalStateException(c.kind() + ": dealer sent " + corr[i].length
                            + " elements for derived part " + i + ", expected " + derived.get(i).size());
                }
                out[random.size() + i] = corr[i];
                bytes += 8L * corr[i].length;
            }
            meter.recordDealerBytes(bytes);
        }
        c.precompute(out);
        return out;
    }

    /**
     * Fills {@code out} with the shares of the fresh random parts drawn in order from {@code prg}
     * (persistent parts are left null). The dealer calls this with the parties' session seeds to
     * mirror their draws exactly.
     */
    static void drawFreshParts(Prg prg, List<Correlation.RandomPart> parts, long[][] out) {
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i).persistentKey() == null) {
                out[i] = prg.nextLongs(parts.get(i).size());
            }
        }
    }
}
