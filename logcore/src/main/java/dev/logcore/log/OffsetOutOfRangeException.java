package dev.logcore.log;

/** A fetch asked for an offset the partition does not hold; the message gives the valid range. */
public class OffsetOutOfRangeException extends LogException {
    private static final long serialVersionUID = 1L;

    private final long offset;
    private final long logStartOffset;
    private final long logEndOffset;

    public OffsetOutOfRangeException(String partition, long offset, long logStartOffset, long logEndOffset) {
        super("offset " + offset + " is out of range for " + partition + ": valid offsets are [" + logStartOffset + ", "
                + logEndOffset + "] (" + logEndOffset + " is the end: a fetch there returns nothing yet)"
                + (offset < logStartOffset ? "; records below " + logStartOffset + " were deleted by retention" : ""));
        this.offset = offset;
        this.logStartOffset = logStartOffset;
        this.logEndOffset = logEndOffset;
    }

    public long offset() {
        return offset;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }
}
