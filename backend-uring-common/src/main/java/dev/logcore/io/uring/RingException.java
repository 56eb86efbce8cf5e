package dev.logcore.io.uring;

import dev.logcore.io.Errno;
import java.io.IOException;

/** A failed ring system call (setup, register), with the errno the kernel returned. */
public class RingException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    /**
     * @param call the system call or step that failed, for example {@code "io_uring_setup"}
     * @param errno the positive errno, or a negative {@code -errno} result (either is accepted)
     */
    public RingException(String call, int errno) {
        this(call, errno, null);
    }

    public RingException(String call, int errno, String detail) {
        super(call + ": " + Errno.nameOf(errno) + " (" + Errno.of(errno).map(Errno::message).orElse("unknown error")
                + (detail == null ? "" : "; " + detail) + ")");
        this.errno = Math.abs(errno);
    }

    /** The positive errno number. */
    public int errno() {
        return errno;
    }

    /** The errno by name, {@link Errno#EIO} for one the table does not know. */
    public Errno errnoName() {
        return Errno.of(errno).orElse(Errno.EIO);
    }
}
