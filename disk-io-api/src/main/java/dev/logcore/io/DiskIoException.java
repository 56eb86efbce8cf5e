package dev.logcore.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An I/O operation that failed, naming the operation, the path and the errno by its symbolic
 * name, for example {@code "write /data/00000000.log: ENOSPC (No space left on device)"}.
 *
 * <p>Errors that have no errno (for instance an engine that was closed) carry the closest errno
 * with a message that says what happened, so callers can always switch on {@link #errno()}.
 */
public class DiskIoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final OpKind operation;
    private final transient Path path;
    private final Errno errno;

    /**
     * @param operation the operation that failed
     * @param path the file it was for, or {@code null} when it concerns no file
     * @param errno the error
     * @param detail what happened, in a few words; {@code null} for the errno's own description
     */
    public DiskIoException(OpKind operation, Path path, Errno errno, String detail) {
        this(operation, path, errno, detail, null);
    }

    /** As {@link #DiskIoException(OpKind, Path, Errno, String)}, with a cause. */
    public DiskIoException(OpKind operation, Path path, Errno errno, String detail, Throwable cause) {
        super(format(operation, path, errno, detail), cause);
        this.operation = operation;
        this.path = path;
        this.errno = errno;
    }

    /**
     * The exception for a negative result as the kernel returns it ({@code -errno}).
     *
     * @param operation the operation that failed
     * @param path the file, or {@code null}
     * @param negativeErrno the kernel's result, for example {@code -28}
     */
    public static DiskIoException fromResult(OpKind operation, Path path, int negativeErrno) {
        Optional<Errno> e = Errno.of(negativeErrno);
        return new DiskIoException(operation, path, e.orElse(Errno.EIO),
                e.isPresent() ? null : "unknown errno " + Math.abs(negativeErrno));
    }

    private static String format(OpKind operation, Path path, Errno errno, String detail) {
        StringBuilder sb = new StringBuilder(operation.label());
        if (path != null) {
            sb.append(' ').append(path);
        }
        sb.append(": ").append(errno.name()).append(" (").append(detail != null ? detail : errno.message()).append(')');
        return sb.toString();
    }

    /** The operation that failed. */
    public OpKind operation() {
        return operation;
    }

    /** The file the operation was for, if any. */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    /** The error by its symbolic name. */
    public Errno errno() {
        return errno;
    }
}
