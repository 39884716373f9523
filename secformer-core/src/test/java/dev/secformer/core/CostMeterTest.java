package dev.secformer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CostMeterTest {
    @Test
    void costsGoToTheInnermostPhaseAndSumPerLevel() {
        TwoPartyRuntime rt = new TwoPartyRuntime();
        var r = rt.run(p -> {
            try (var layer = p.phase("layer0")) {
                try (var g = p.phase("gelu")) {
                    Open.open(p, p.sharePublic(RingTensor.zeros(3)));
                }
                try (var l = p.phase("linear")) {
                    Open.open(p, p.sharePublic(RingTensor.zeros(5)), p.sharePublic(RingTensor.zeros(1)));
                }
                Open.open(p, p.sharePublic(RingTensor.zeros(2)));
            }
            return null;
        });
        Map<String, CostReport.Entry> paths = r.cost().byPath();
        assertEquals(2 * 8 * 3, paths.get("layer0/gelu").onlineBytes());
        assertEquals(2 * 8 * 6, paths.get("layer0/linear").onlineBytes());
        assertEquals(1, paths.get("layer0/linear").rounds());
        assertEquals(2 * 8 * 2, paths.get("layer0").onlineBytes());
        assertEquals(2 * 8 * 11, r.cost().byLevel(0).get("layer0").onlineBytes());
        assertEquals(3, r.cost().byLevel(0).get("layer0").rounds());
        assertEquals(2 * 8 * 3, r.cost().forLabel("gelu").onlineBytes());
        assertEquals(2 * 8 * 3, r.cost().byLevel(1).get("gelu").onlineBytes());
    }

    @Test
    void phasesMustCloseInOrderAndHaveValidLabels() {
        CostMeter m = new CostMeter();
        var outer = m.phase("a");
        m.phase("b");
        assertThrows(IllegalStateException.class, outer::close);
        assertThrows(IllegalArgumentException.class, () -> m.phase("x/y"));
        assertThrows(IllegalArgumentException.class, () -> m.phase(""));
    }
}
