package dev.logcore.log;

/** A record does not fit in one batch (setting maxBatchBytes). */
public class RecordTooLargeException extends LogException {
    private static final long serialVersionUID = 1L;

    public RecordTooLargeException(long size, int maxRecordBytes) {
        super("record of " + size + " encoded bytes is larger than the most a batch holds, " + maxRecordBytes
                + " bytes (raise maxBatchBytes)");
    }
}
