package dev.logcore.io;

/** The kinds of operation an engine performs; stats and errors are kept and named by kind. */
public enum OpKind {
    /** Opening a file. */
    OPEN,
    /** A positional read into one buffer. */
    READ,
    /** A positional write of one buffer. */
    WRITE,
    /** A gathered positional write of several buffers. */
    WRITEV,
    /** fdatasync or fsync. */
    SYNC,
    /** A gathered write followed, in order, by a sync (linked on io_uring). */
    WRITE_SYNC,
    /** Asking the size of a file. */
    SIZE,
    /** Setting the size of a file. */
    TRUNCATE,
    /** Allocating blocks for a range of a file. */
    PREALLOCATE,
    /** Closing a file. */
    CLOSE,
    /** Asking the kernel (or the queue) to drop an operation. */
    CANCEL;

    /** The lower-case name used in logs and metrics. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
