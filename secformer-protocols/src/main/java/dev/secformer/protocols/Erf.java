package dev.secformer.protocols;

/** The error function in double precision (Abramowitz-Stegun 7.1.26 is too coarse; this is W. J. Cody's rational form via erfc). */
final class Erf {
    private Erf() {
    }

    static double erf(double x) {
        // Series for |x| < 2.5 (converges fast there), continued fraction for the tail.
        double ax = Math.abs(x);
        double r;
        if (ax < 2.5) {
            double term = ax;
            double sum = ax;
            double x2 = ax * ax;
            for (int n = 1; n < 200; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            // erfc(x) = exp(-x^2) / sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))) (Lentz's continued fraction)
            double f = ax;
            double c = ax;
            double d = 0;
            for (int n = 1; n < 300; n++) {
                double an = n / 2.0;
                d = ax + an * d;
                d = d == 0 ? 1e-300 : 1 / d;
                c = ax + an / c;
                double delta = c * d;
                f *= delta;
                if (Math.abs(delta - 1) < 1e-16) {
                    break;
                }
            }
            r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
        }
        return x < 0 ? -r : r;
    }
}
