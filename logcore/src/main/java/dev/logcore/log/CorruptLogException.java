package dev.logcore.log;

/** Bytes on disk that must be intact are not: what, where and why are in the message. */
public class CorruptLogException extends LogException {
    private static final long serialVersionUID = 1L;

    public CorruptLogException(String message) {
        super(message);
    }
}
