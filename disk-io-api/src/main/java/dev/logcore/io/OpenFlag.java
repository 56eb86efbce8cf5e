package dev.logcore.io;

/**
 * How a file is opened. The names follow {@code open(2)}.
 *
 * <p>Without {@link #WRITE} a file is opened read-only; {@link #READ} may be combined with
 * {@link #WRITE} for read-write. {@link #CREATE_NEW} implies {@link #CREATE} and fails with
 * {@code EEXIST} when the file is there.
 */
public enum OpenFlag {
    /** Open for reading. */
    READ,
    /** Open for writing. */
    WRITE,
    /** Create the file if it does not exist ({@code O_CREAT}). */
    CREATE,
    /** Create the file, failing with EEXIST if it exists ({@code O_CREAT|O_EXCL}). */
    CREATE_NEW,
    /** Truncate the file to zero length on open ({@code O_TRUNC}); needs {@link #WRITE}. */
    TRUNCATE,
    /**
     * Bypass the page cache ({@code O_DIRECT}). Every buffer address, file offset and length must
     * then be a multiple of {@link DiskFile#directAlignment()}; a misaligned operation fails with
     * {@code EINVAL} before it reaches the kernel.
     */
    DIRECT,
    /** Every write is durable as by fdatasync when it completes ({@code O_DSYNC}). */
    DSYNC
}
