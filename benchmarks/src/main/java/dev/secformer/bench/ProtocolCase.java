package dev.secformer.bench;

import dev.secformer.core.Party;
import dev.secformer.core.SharedTensor;

/**
 * One row of the protocol table: a protocol applied to a fixed-point input of a given shape, and
 * the plaintext double-precision function it approximates.
 */
interface ProtocolCase {
    /** A short stable name for the command line, e.g. {@code gelu-secformer}. */
    String key();

    /** The operation ("GeLU", "softmax", ...). */
    String op();

    /** The protocol's name ("SecFormer", "CrypTen", ...). */
    String protocol();

    int[] shape();

    /** The plaintext input (row-major, as many elements as the shape). */
    double[] input();

    /** What one party runs on its share of the input. */
    SharedTensor run(Party p, SharedTensor x);

    /** The exact result in double precision. */
    double[] oracle(double[] x);

    /** Errors are reported relative to max(|oracle|, this floor). */
    default double relativeFloor() {
        return 1e-2;
    }
}
