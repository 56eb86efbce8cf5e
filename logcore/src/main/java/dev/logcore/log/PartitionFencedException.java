package dev.logcore.log;

/**
 * The partition stopped taking appends and reads: recovery found damage in data that had been
 * synced (corruption, not a torn tail), or a write or sync failed. Nothing was truncated; reopening
 * runs recovery again. The message says what happened and where.
 */
public class PartitionFencedException extends LogException {
    private static final long serialVersionUID = 1L;

    public PartitionFencedException(String message, Throwable cause) {
        super(message, cause);
    }
}
