package dev.logcore.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A file opened by a {@link DiskIo} engine. Every operation is positional and asynchronous.
 *
 * <p><b>Errors.</b> Programming errors are thrown at the call: {@code null} arguments
 * ({@link NullPointerException}), negative offsets or lengths ({@link IllegalArgumentException}) and
 * buffers the caller does not own (in flight or closed: {@link IllegalStateException}). Everything
 * else comes through the returned future as a {@link DiskIoException}: kernel errors by errno name,
 * a closed file ({@code EBADF}), a closed engine ({@code ESHUTDOWN}), and an O_DIRECT request whose
 * buffer address, offset or length is not a multiple of {@link #directAlignment()} ({@code EINVAL},
 * refused before it reaches the kernel).
 *
 * <p>Operations on one file may run concurrently and complete in any order; use
 * {@link #writeThenSync} when a sync must follow a write.
 */
public interface DiskFile {

    /** The path the file was opened with. */
    Path path();

    /** The flags the file was opened with. */
    Set<OpenFlag> flags();

    /**
     * The alignment O_DIRECT requires of buffer addresses, offsets and lengths (the file system's
     * block size), or 1 when the file was not opened with {@link OpenFlag#DIRECT}.
     */
    int directAlignment();

    /** Whether the file is open (close() not yet called). */
    boolean isOpen();

    /**
     * Reads up to {@code dst.limit()} bytes at {@code offset} into {@code dst} from index 0.
     * Completes with the number of bytes read: fewer than asked only at the end of the file, 0 at or
     * past it.
     */
    IoFuture<Integer> read(IoBuffer dst, long offset);

    /** Writes bytes {@code [0, src.limit())} at {@code offset}, completely; completes with the count. */
    IoFuture<Integer> write(IoBuffer src, long offset);

    /**
     * Writes the buffers one after another, contiguously, starting at {@code offset}; each
     * contributes bytes {@code [0, limit)}. Complete: short writes are resubmitted by the provider.
     * Completes with the total byte count.
     */
    IoFuture<Long> writev(List<IoBuffer> srcs, long offset);

    /** Makes what was written durable: {@link FsyncKind#DATA} is fdatasync, {@link FsyncKind#FULL} fsync. */
    IoFuture<Void> sync(FsyncKind kind);

    /**
     * {@link #writev} then {@link #sync} as one ordered operation: the sync starts only after the
     * whole write succeeded (linked operations on io_uring); if the write fails the sync does not
     * run. Completes with the byte count once both are done.
     */
    IoFuture<Long> writeThenSync(List<IoBuffer> srcs, long offset, FsyncKind kind);

    /** The file's size in bytes. */
    IoFuture<Long> size();

    /** Sets the file's size: cuts it, or extends it with a hole that reads as zeros. */
    IoFuture<Void> truncate(long size);

    /**
     * Allocates disk blocks for {@code [offset, offset+length)} ({@code fallocate} mode 0): the
     * size grows to at least {@code offset+length}, new bytes read as zeros, existing bytes are
     * untouched, and later writes into the range cannot fail with ENOSPC.
     */
    IoFuture<Void> preallocate(long offset, long length);

    /**
     * Closes the file once the operations in flight on it have completed; later operations fail with
     * {@code EBADF}. Closing twice is harmless.
     */
    IoFuture<Void> close();
}
