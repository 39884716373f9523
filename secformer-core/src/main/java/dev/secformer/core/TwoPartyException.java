package dev.secformer.core;

/** A two-party computation failed; the cause is the first party's failure. */
public class TwoPartyException extends RuntimeException {
    public TwoPartyException(String message, Throwable cause) {
        super(message, cause);
    }
}
