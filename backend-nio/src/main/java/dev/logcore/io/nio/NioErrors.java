package dev.logcore.io.nio;

import dev.logcore.io.DiskIoException;
import dev.logcore.io.Errno;
import dev.logcore.io.OpKind;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Turns the JDK's exceptions back into errnos. The JDK builds its messages from the C library's
 * {@code strerror}, so the message names the errno even where the exception type does not.
 */
final class NioErrors {
    private NioErrors() {
    }

    static DiskIoException map(OpKind op, Path path, Throwable t) {
        if (t instanceof DiskIoException d) {
            return d;
        }
        if (t instanceof NoSuchFileException) {
            return new DiskIoException(op, path, Errno.ENOENT, null, t);
        }
        if (t instanceof FileAlreadyExistsException) {
            return new DiskIoException(op, path, Errno.EEXIST, null, t);
        }
        if (t instanceof AccessDeniedException a) {
            return new DiskIoException(op, path, Errno.fromMessage(a.getReason()).orElse(Errno.EACCES), null, t);
        }
        if (t instanceof FileSystemException f) {
            return new DiskIoException(op, path, Errno.fromMessage(f.getReason()).orElse(Errno.EIO),
                    f.getReason() == null ? t.toString() : null, t);
        }
        if (t instanceof ClosedChannelException) {
            return new DiskIoException(op, path, Errno.EBADF, "the file was closed during the operation", t);
        }
        if (t instanceof NonWritableChannelException) {
            return new DiskIoException(op, path, Errno.EBADF, "the file is not open for writing", t);
        }
        if (t instanceof NonReadableChannelException) {
            return new DiskIoException(op, path, Errno.EBADF, "the file is not open for reading", t);
        }
        if (t instanceof IOException) {
            return Errno.fromMessage(t.getMessage())
                    .map(e -> new DiskIoException(op, path, e, null, t))
                    .orElseGet(() -> new DiskIoException(op, path, Errno.EIO, String.valueOf(t.getMessage()), t));
        }
        if (t instanceof IllegalArgumentException) {
            // The JDK's own checks (for example its O_DIRECT alignment checks) say EINVAL.
            return new DiskIoException(op, path, Errno.EINVAL, t.getMessage(), t);
        }
        if (t instanceof UnsupportedOperationException) {
            return new DiskIoException(op, path, Errno.EOPNOTSUPP, t.getMessage(), t);
        }
        return new DiskIoException(op, path, Errno.EIO, "unexpected failure in the nio provider: " + t, t);
    }
}
