package dev.secformer.protocols;

import dev.secformer.core.Party;
import dev.secformer.core.SharedTensor;

/** A secure GeLU, elementwise on fixed-point shares. */
public interface GeluProtocol {
    SharedTensor apply(Party p, SharedTensor x);
}
