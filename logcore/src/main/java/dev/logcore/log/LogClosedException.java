package dev.logcore.log;

/** The partition (or the whole log) was closed. */
public class LogClosedException extends LogException {
    private static final long serialVersionUID = 1L;

    public LogClosedException(String what) {
        super(what + " is closed");
    }
}
