package dev.logcore.io;

/** The two kinds of durability barrier a sync asks for. */
public enum FsyncKind {
    /**
     * {@code fdatasync(2)}: the file's data, and the metadata needed to read it back (such as a
     * grown size), are on stable storage. What a log needs after an append.
     */
    DATA,
    /** {@code fsync(2)}: data and all metadata (times, permissions) are on stable storage. */
    FULL
}
