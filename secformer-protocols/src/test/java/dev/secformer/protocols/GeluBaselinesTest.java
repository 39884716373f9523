package dev.secformer.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secformer.core.CostReport;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** The peers' GeLUs: each secure protocol against its own double-precision formula, and their accuracy against GeLU. */
class GeluBaselinesTest {
    private static double check(GeluProtocol g, DoubleUnaryOperator reference, double lo, double hi, double tolerance) {
        double[] x = Mpc.linspace(lo, hi, 1601);
        Mpc.Run r = Mpc.run(x, new int[] {x.length}, g::apply);
        double errToGelu = 0;
        for (int i = 0; i < x.length; i++) {
            double q = Mpc.quantized(x[i]);
            assertEquals(reference.applyAsDouble(q), r.output()[i], tolerance, g.getClass().getSimpleName() + " at " + x[i]);
            errToGelu = Math.max(errToGelu, Math.abs(r.output()[i] - SecureGeluTest.exactGelu(q)));
        }
        return errToGelu;
    }

    @Test
    void quadIsItsPolynomialAndOneRound() {
        double err = check(new QuadGelu(), QuadGelu::reference, -8, 8, 1e-3);
        assertTrue(err > 1, "Quad is far from GeLU (needs distillation): " + err);
        CostReport.Entry c = Mpc.run(new double[8], new int[] {8}, new QuadGelu()::apply).cost().total();
        assertEquals(2, c.rounds(), "the square and the truncation");
        assertEquals(32L * 8, c.onlineBytes());
    }

    @Test
    void pumaPiecesAreWithinTwoHundredthsOfGelu() {
        // PUMA's smallest coefficient (0.0018 x^6) is quantized to 2^-16: up to 5e-3 at x = 3.
        double err = check(new PumaGelu(), PumaGelu::reference, -8, 8, 6e-3);
        assertTrue(err <= 0.021, "PUMA max |error| = " + err);
        int n = 16;
        Mpc.Run r = Mpc.run(new double[n], new int[] {n}, new PumaGelu()::apply);
        assertEquals(new DigitComparison().rounds() + 4, r.cost().total().rounds());
        // x^2; x^2 x and x^2 x^2 (x^2 opened twice, truncated on the way in); x^3 x^3 and x^4's truncation;
        // the three selections (two with F0, F1 truncated on the way in), per party
        long perParty = 8 + (16 + 8) + (8 + 8) + (16 + 16 + 16);
        assertEquals(3L * n * new DigitComparison().onlineBitsPerElement() / 8 + 2 * perParty * n, r.cost().total().onlineBytes());
    }

    @Test
    void cryptenTaylorIsAccurateOnlyNearZero() {
        // The high-order coefficients (down to 1.6e-6) are quantized to 2^-16 as in CrypTen.
        double err = check(new CryptenGelu(), CryptenGelu::reference, -2, 2, 5e-3);
        assertTrue(err <= 0.01, "CrypTen near 0: " + err);
        assertTrue(Math.abs(CryptenGelu.reference(5) - SecureGeluTest.exactGelu(5)) > 1, "the series diverges at x = 5");
        CostReport cost = Mpc.run(new double[8], new int[] {8}, new CryptenGelu()::apply).cost();
        CostReport.Entry c = cost.total();
        assertEquals(11, c.rounds());
        assertEquals(320L * 8, c.onlineBytes());
        assertEquals(560L * 8, c.dealerBytes() - cost.byPath().get("setup").dealerBytes());
    }
}
