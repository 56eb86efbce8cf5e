package dev.logcore.io.spi;

import dev.logcore.io.DiskIoException;
import dev.logcore.io.Errno;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.OpKind;
import dev.logcore.io.OpenFlag;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;

/**
 * The argument checks every provider makes in the same order, so that every provider refuses bad
 * input in the same way (the conformance suite checks it):
 *
 * <ol>
 *   <li>{@code null} arguments: {@link NullPointerException}; negative offsets or lengths, an empty
 *       or duplicated buffer list: {@link IllegalArgumentException} (thrown at the call);
 *   <li>buffers the caller does not own: {@link IllegalStateException} (thrown at the call);
 *   <li>a closed engine or file, a misaligned O_DIRECT request: a failed future (see
 *       {@link #misaligned});
 *   <li>then the buffers go in flight with {@link #beginAll}.
 * </ol>
 */
public final class Requests {
    private Requests() {
    }

    /** @throws IllegalArgumentException if {@code value} is negative */
    public static long nonNegative(long value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must not be negative, was " + value);
        }
        return value;
    }

    /** Checks a single buffer: not null, owned by the caller. */
    public static IoBuffer owned(IoBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        if (!buffer.isOwned()) {
            buffer.limit(); // throws the buffer's own IllegalStateException
        }
        return buffer;
    }

    /** Checks a buffer list: not null or empty, no nulls, no buffer twice, every buffer owned. */
    public static List<IoBuffer> owned(List<IoBuffer> buffers) {
        Objects.requireNonNull(buffers, "buffers");
        if (buffers.isEmpty()) {
            throw new IllegalArgumentException("at least one buffer is needed");
        }
        IdentityHashMap<IoBuffer, Boolean> seen = new IdentityHashMap<>();
        for (IoBuffer b : buffers) {
            owned(b);
            if (seen.put(b, Boolean.TRUE) != null) {
                throw new IllegalArgumentException("the same buffer appears twice in one operation");
            }
        }
        return buffers;
    }

    /**
     * Normalises open flags: a file without {@link OpenFlag#WRITE} is read-only, and
     * {@link OpenFlag#CREATE}, {@link OpenFlag#CREATE_NEW} and {@link OpenFlag#TRUNCATE} need WRITE.
     *
     * @throws IllegalArgumentException for a combination that makes no sense
     */
    public static java.util.Set<OpenFlag> openFlags(OpenFlag... flags) {
        Objects.requireNonNull(flags, "flags");
        java.util.EnumSet<OpenFlag> set = java.util.EnumSet.noneOf(OpenFlag.class);
        for (OpenFlag f : flags) {
            set.add(Objects.requireNonNull(f, "open flag"));
        }
        if (!set.contains(OpenFlag.WRITE)) {
            for (OpenFlag needsWrite : java.util.List.of(OpenFlag.CREATE, OpenFlag.CREATE_NEW, OpenFlag.TRUNCATE, OpenFlag.DSYNC)) {
                if (set.contains(needsWrite)) {
                    throw new IllegalArgumentException("open flag " + needsWrite + " needs WRITE");
                }
            }
            set.add(OpenFlag.READ);
        }
        return java.util.Collections.unmodifiableSet(set);
    }

    /**
     * The alignment O_DIRECT needs for a file: its file system's block size (what the JDK documents
     * for {@code ExtendedOpenOption.DIRECT}), or a page when the file system does not say.
     */
    public static int directAlignmentOf(Path path) {
        try {
            long bs = java.nio.file.Files.getFileStore(path).getBlockSize();
            if (bs >= 512 && bs <= 65536 && Long.bitCount(bs) == 1) {
                return (int) bs;
            }
        } catch (java.io.IOException | UnsupportedOperationException e) {
            // fall through to the page size, the strictest alignment Linux file systems ask for
        }
        return IoBuffer.PAGE_SIZE;
    }

    /** The total of the buffers' limits. */
    public static long totalLength(List<IoBuffer> buffers) {
        long n = 0;
        for (IoBuffer b : buffers) {
            n += b.limit();
        }
        return n;
    }

    /**
     * For a file opened with O_DIRECT, the EINVAL failure of a request whose offset, buffer address
     * or lengths are not multiples of {@code alignment}; {@code null} when the request is aligned.
     * Every buffer's limit must be aligned (each becomes one iovec, and the kernel checks each).
     */
    public static DiskIoException misaligned(OpKind op, Path path, int alignment, long offset, List<IoBuffer> buffers) {
        if (alignment <= 1) {
            return null;
        }
        if (offset % alignment != 0) {
            return einval(op, path, "O_DIRECT offset " + offset + " is not a multiple of " + alignment);
        }
        for (IoBuffer b : buffers) {
            if (!b.isAligned(alignment)) {
                return einval(op, path, "O_DIRECT buffer address is not aligned to " + alignment);
            }
            if (b.limit() % alignment != 0) {
                return einval(op, path, "O_DIRECT length " + b.limit() + " is not a multiple of " + alignment);
            }
        }
        return null;
    }

    /** As {@link #misaligned(OpKind, Path, int, long, List)} for one buffer. */
    public static DiskIoException misaligned(OpKind op, Path path, int alignment, long offset, IoBuffer buffer) {
        return misaligned(op, path, alignment, offset, List.of(buffer));
    }

    private static DiskIoException einval(OpKind op, Path path, String detail) {
        return new DiskIoException(op, path, Errno.EINVAL, detail + " (refused before submission)");
    }

    /**
     * Moves every buffer in flight, returning their addresses; if one cannot be taken, the ones taken
     * are given back and the {@link IllegalStateException} propagates.
     */
    public static long[] beginAll(List<IoBuffer> buffers) {
        long[] addresses = new long[buffers.size()];
        int i = 0;
        try {
            for (; i < addresses.length; i++) {
                addresses[i] = buffers.get(i).beginIo();
            }
        } catch (RuntimeException e) {
            for (int j = 0; j < i; j++) {
                buffers.get(j).endIo();
            }
            throw e;
        }
        return addresses;
    }

    /** Gives every buffer back. */
    public static void endAll(List<IoBuffer> buffers) {
        for (IoBuffer b : buffers) {
            b.endIo();
        }
    }
}
