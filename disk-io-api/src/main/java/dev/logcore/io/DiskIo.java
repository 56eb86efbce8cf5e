package dev.logcore.io;

import java.nio.file.Path;

/**
 * An I/O engine made by a {@link DiskIoProvider}: it opens files, hands out buffers and runs
 * operations asynchronously, completing their futures on its own thread(s).
 *
 * <p>Engines are thread-safe: any thread may open files and submit operations. Closing the engine
 * stops new operations (they fail with {@code ESHUTDOWN}), then completes or fails every operation
 * in flight within a bounded time, closes the files still open and frees the engine's resources.
 */
public interface DiskIo extends AutoCloseable {

    /** The name of the provider that made this engine ({@code nio}, {@code uring-jni}, ...). */
    String providerName();

    /** The settings this engine was opened with. */
    DiskIoConfig config();

    /**
     * Allocates an owned, page-aligned buffer of {@code capacity} bytes. An engine may serve it from
     * memory it registered with the kernel; any engine accepts any {@link IoBuffer}.
     */
    IoBuffer allocate(int capacity);

    /**
     * Opens a file.
     *
     * @param path the file
     * @param flags how to open it; without {@link OpenFlag#WRITE} it is read-only
     * @return the open file, or a failure naming the errno ({@code ENOENT}, {@code EISDIR}, ...)
     */
    IoFuture<DiskFile> open(Path path, OpenFlag... flags);

    /** A snapshot of this engine's counters. */
    DiskIoStats stats();

    /** Whether the engine takes new operations. */
    boolean isOpen();

    /**
     * Closes the engine: every operation in flight completes or fails (never hangs, bounded by the
     * engine's close timeout), open files are closed, resources freed. Closing twice is harmless.
     */
    @Override
    void close();
}
