package dev.secformer.core;

/** A channel failure: the peer closed or aborted, a timeout expired, or a payload was malformed. */
public class ChannelException extends RuntimeException {
    public ChannelException(String message) {
        super(message);
    }

    public ChannelException(String message, Throwable cause) {
        super(message, cause);
    }
}
