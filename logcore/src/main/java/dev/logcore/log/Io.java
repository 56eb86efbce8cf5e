package dev.logcore.log;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoException;
import dev.logcore.io.Errno;
import dev.logcore.io.FsyncKind;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.OpKind;
import dev.logcore.io.OpenFlag;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Blocking helpers over the SPI for the log's slow paths (open, recovery, sealing, retention),
 * which run on the caller's or the partition writer's own thread, never on a provider's thread.
 */
final class Io {
    private Io() {
    }

    /** Waits for an operation, turning its failure back into the {@link IOException} it was. */
    static <T> T await(CompletableFuture<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException ie = new InterruptedIOException("interrupted while waiting for I/O");
            ie.initCause(e);
            throw ie;
        } catch (ExecutionException e) {
            throw asIo(e.getCause());
        } catch (CancellationException e) {
            throw new IOException("I/O operation was cancelled", e);
        }
    }

    static IOException asIo(Throwable t) {
        if (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof IOException io) {
            return io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        return new IOException(t);
    }

    /**
     * fsyncs a directory, so that the names created, renamed or deleted in it survive a crash. Opens
     * the directory read-only through the engine and syncs it ({@code fsync(2)} on a directory
     * descriptor, what Linux needs).
     */
    static void syncDirectory(DiskIo io, Path dir) throws IOException {
        DiskFile d = await(io.open(dir, OpenFlag.READ));
        try {
            await(d.sync(FsyncKind.FULL));
        } finally {
            await(d.close());
        }
    }

    /** Reads exactly {@code length} bytes at {@code position} into {@code buf} (from 0). */
    static void readFully(DiskFile file, IoBuffer buf, long position, int length) throws IOException {
        buf.limit(length);
        int n = await(file.read(buf, position));
        if (n != length) {
            throw new DiskIoException(OpKind.READ, file.path(), Errno.EIO,
                    "expected " + length + " bytes at position " + position + ", the file ended after " + n);
        }
    }

    /** Writes a whole small file through the engine and syncs it (creating or replacing its content). */
    static void writeFileSynced(DiskIo io, Path path, byte[] content) throws IOException {
        DiskFile f = await(io.open(path, OpenFlag.WRITE, OpenFlag.CREATE, OpenFlag.TRUNCATE));
        try (IoBuffer b = io.allocate(Math.max(1, content.length))) {
            if (content.length > 0) {
                b.put(0, content).limit(content.length);
                long n = await(f.writeThenSync(List.of(b), 0, FsyncKind.DATA));
                if (n != content.length) {
                    throw new DiskIoException(OpKind.WRITE_SYNC, path, Errno.EIO, "short write: " + n + " of " + content.length);
                }
            } else {
                await(f.sync(FsyncKind.DATA));
            }
        } finally {
            await(f.close());
        }
    }

    /** Reads a whole small file through the engine. */
    static byte[] readFile(DiskIo io, Path path, int maxBytes) throws IOException {
        DiskFile f = await(io.open(path, OpenFlag.READ));
        try {
            long size = await(f.size());
            if (size > maxBytes) {
                throw new IOException(path + " is " + size + " bytes, more than the " + maxBytes + " expected");
            }
            if (size == 0) {
                return new byte[0];
            }
            try (IoBuffer b = io.allocate((int) size)) {
                readFully(f, b, 0, (int) size);
                return b.toArray(0, (int) size);
            }
        } finally {
            await(f.close());
        }
    }

    /**
     * Replaces a small file atomically and durably: the new content goes to a temporary file that is
     * synced, renamed over the old one, and the directory is synced. After a crash the file holds
     * either the old or the new content, whole.
     */
    static void replaceFileAtomically(DiskIo io, Path path, byte[] content) throws IOException {
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        writeFileSynced(io, tmp, content);
        java.nio.file.Files.move(tmp, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(io, path.getParent());
    }
}
