package dev.secformer.net;

import dev.secformer.core.CostMeter;
import dev.secformer.net.proto.Cost;
import dev.secformer.net.proto.PhaseCost;
import java.util.LinkedHashMap;
import java.util.Map;

/** A party's per-phase costs in a {@link Cost} message and back, so a client can break them down as the simulator does. */
final class PhaseCosts {
    private PhaseCosts() {
    }

    /** Adds each phase path's cost to {@code cost}, in the meter's order. */
    static Cost.Builder addTo(Cost.Builder cost, Map<String, CostMeter.PhaseCost> phases) {
        phases.forEach((path, c) -> cost.addPhases(PhaseCost.newBuilder().setPath(path).setBytesSent(c.bytesSent())
                .setBytesReceived(c.bytesReceived()).setRounds(c.rounds()).setDealerBytes(c.dealerBytes())
                .setNanos(c.nanos()).setOfflineNanos(c.offlineNanos())));
        return cost;
    }

    /** The per-phase costs a party reported, in its order. */
    static Map<String, CostMeter.PhaseCost> of(Cost cost) {
        Map<String, CostMeter.PhaseCost> out = new LinkedHashMap<>();
        for (PhaseCost p : cost.getPhasesList()) {
            out.put(p.getPath(), new CostMeter.PhaseCost(p.getBytesSent(), p.getBytesReceived(), p.getRounds(),
                    p.getDealerBytes(), p.getNanos(), p.getOfflineNanos()));
        }
        return out;
    }
}
