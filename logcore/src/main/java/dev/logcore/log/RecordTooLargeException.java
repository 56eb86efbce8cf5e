package dev.logcore.log;

/** A record, or a group of records appended together, does not fit in one batch (settings maxBatchBytes, maxBatchRecords). */
public class RecordTooLargeException extends LogException {
    private static final long serialVersionUID = 1L;

    public RecordTooLargeException(long size, int maxRecordBytes) {
        super("record of " + size + " encoded bytes is larger than the most a batch holds, " + maxRecordBytes
                + " bytes (raise maxBatchBytes)");
    }

    RecordTooLargeException(String message) {
        super(message);
    }
}
