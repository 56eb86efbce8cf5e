package dev.logcore.io.uring;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIoException;
import dev.logcore.io.Errno;
import dev.logcore.io.FsyncKind;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.IoFuture;
import dev.logcore.io.OpKind;
import dev.logcore.io.OpenFlag;
import dev.logcore.io.spi.FileGate;
import dev.logcore.io.spi.Requests;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open file of a {@link RingEngine}: a real descriptor (kept so that statx, the fallbacks and
 * {@code /proc/self/fdinfo} see it) and, when the fixed file table has room, a slot in it that the
 * data operations use instead ({@code IOSQE_FIXED_FILE}).
 */
final class RingFile implements DiskFile {
    final RingEngine engine;
    private final Path path;
    private final Set<OpenFlag> flags;
    final int fd;
    /** The fixed-file slot, or -1. */
    final int slot;
    final int alignment;
    /** A FIFO or character device: offsets are ignored, the stream is read and written. */
    final boolean stream;
    final FileGate gate = new FileGate();
    private final AtomicBoolean fdClosed = new AtomicBoolean();

    RingFile(RingEngine engine, Path path, Set<OpenFlag> flags, int fd, int slot, int alignment, boolean stream) {
        this.engine = engine;
        this.path = path;
        this.flags = flags;
        this.fd = fd;
        this.slot = slot;
        this.alignment = alignment;
        this.stream = stream;
    }

    /** The fd field of an SQE for this file: the fixed slot if it has one. */
    int sqeFd() {
        return slot >= 0 ? slot : fd;
    }

    /** The SQE flags that go with {@link #sqeFd()}. */
    int sqeFlags() {
        return slot >= 0 ? Sqe.IOSQE_FIXED_FILE : 0;
    }

    /** The file offset of an SQE at {@code offset}: -1 (the stream's position) for a stream. */
    long sqeOffset(long offset) {
        return stream ? -1 : offset;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public Set<OpenFlag> flags() {
        return flags;
    }

    @Override
    public int directAlignment() {
        return alignment;
    }

    @Override
    public boolean isOpen() {
        return !gate.isClosing();
    }

    /** The checks every operation makes, in the order {@link Requests} documents; null if it may go on. */
    private <T> IoFuture<T> refuse(OpKind kind) {
        if (engine.isClosed()) {
            return engine.refused(kind, path, Errno.ESHUTDOWN, "the engine is closed");
        }
        if (!gate.enter()) {
            return engine.refused(kind, path, Errno.EBADF, "the file is closed");
        }
        return null;
    }

    private <T> IoFuture<T> misaligned(OpKind kind, long offset, List<IoBuffer> buffers) {
        DiskIoException bad = Requests.misaligned(kind, path, alignment, offset, buffers);
        if (bad == null) {
            return null;
        }
        gate.exit();
        engine.stats.rejected(kind);
        return IoFuture.failed(bad);
    }

    /** The O_DIRECT rule for one buffer without allocating; the canonical error only when broken. */
    private boolean alignedForDirect(IoBuffer b, long offset) {
        int mask = alignment - 1;
        return ((offset | b.limit()) & mask) == 0 && b.isAligned(alignment);
    }

    @Override
    public IoFuture<Integer> read(IoBuffer dst, long offset) {
        Requests.owned(dst);
        Requests.nonNegative(offset, "offset");
        IoFuture<Integer> no = refuse(OpKind.READ);
        if (no != null) {
            return no;
        }
        if (alignment > 1 && !alignedForDirect(dst, offset) && (no = misaligned(OpKind.READ, offset, List.of(dst))) != null) {
            return no;
        }
        int len;
        long address;
        try {
            len = dst.limit();
            address = dst.beginIo();
        } catch (RuntimeException e) {
            gate.exit();
            throw e;
        }
        return engine.submit(new ReadOp(this, dst, address, len, offset));
    }

    @Override
    public IoFuture<Integer> write(IoBuffer src, long offset) {
        Requests.owned(src);
        Requests.nonNegative(offset, "offset");
        IoFuture<Integer> no = refuse(OpKind.WRITE);
        if (no != null) {
            return no;
        }
        if (alignment > 1 && !alignedForDirect(src, offset) && (no = misaligned(OpKind.WRITE, offset, List.of(src))) != null) {
            return no;
        }
        int len;
        long address;
        try {
            len = src.limit();
            address = src.beginIo();
        } catch (RuntimeException e) {
            gate.exit();
            throw e;
        }
        return engine.submit(new WriteOp(this, src, address, len, offset));
    }

    @Override
    public IoFuture<Long> writev(List<IoBuffer> srcs, long offset) {
        return gathered(OpKind.WRITEV, srcs, offset, null);
    }

    @Override
    public IoFuture<Long> writeThenSync(List<IoBuffer> srcs, long offset, FsyncKind kind) {
        Objects.requireNonNull(kind, "kind");
        return gathered(OpKind.WRITE_SYNC, srcs, offset, kind);
    }

    private IoFuture<Long> gathered(OpKind kind, List<IoBuffer> srcs, long offset, FsyncKind sync) {
        Requests.owned(srcs);
        Requests.nonNegative(offset, "offset");
        IoFuture<Long> no = refuse(kind);
        if (no != null) {
            return no;
        }
        if (alignment > 1 && (no = misaligned(kind, offset, srcs)) != null) {
            return no;
        }
        List<IoBuffer> bufs = List.copyOf(srcs);
        int[] lens = new int[bufs.size()];
        long[] addrs;
        try {
            for (int i = 0; i < lens.length; i++) {
                lens[i] = bufs.get(i).limit();
            }
            addrs = Requests.beginAll(bufs);
        } catch (RuntimeException e) {
            gate.exit();
            throw e;
        }
        return engine.submit(new WritevOp(this, kind, bufs, addrs, lens, offset, sync));
    }

    @Override
    public IoFuture<Void> sync(FsyncKind kind) {
        Objects.requireNonNull(kind, "kind");
        IoFuture<Void> no = refuse(OpKind.SYNC);
        return no != null ? no : engine.submit(new MetaOp.Sync(this, kind));
    }

    @Override
    public IoFuture<Long> size() {
        IoFuture<Long> no = refuse(OpKind.SIZE);
        return no != null ? no : engine.submit(new MetaOp.Size(this));
    }

    @Override
    public IoFuture<Void> truncate(long size) {
        Requests.nonNegative(size, "size");
        IoFuture<Void> no = refuse(OpKind.TRUNCATE);
        return no != null ? no : engine.submit(new MetaOp.Truncate(this, size));
    }

    @Override
    public IoFuture<Void> preallocate(long offset, long length) {
        Requests.nonNegative(offset, "offset");
        Requests.nonNegative(length, "length");
        IoFuture<Void> no = refuse(OpKind.PREALLOCATE);
        return no != null ? no : engine.submit(new MetaOp.Preallocate(this, offset, length));
    }

    @Override
    public IoFuture<Void> close() {
        if (engine.isClosed()) {
            gate.close(() -> { });
            return IoFuture.completed(null); // the engine closed the descriptor
        }
        CloseOp op = new CloseOp(this);
        if (!gate.close(() -> engine.submit(op))) {
            return IoFuture.completed(null);
        }
        return op;
    }

    /** Claims the descriptor for closing; {@code false} if someone closed it already. */
    boolean claimFd() {
        return fdClosed.compareAndSet(false, true);
    }

    /**
     * The engine is closing: closes the descriptor now unless an operation still runs on it on the
     * fallback thread (then the descriptor is left open rather than closed, and its number reused,
     * under that call).
     */
    void closeAtEngineClose(KernelRing kernel) {
        gate.close(() -> { });
        if (gate.inFlight() > 0) {
            RingEngine.LOG.log(Level.WARNING, "engine close: " + path + " still has " + gate.inFlight()
                    + " operations running; its descriptor is left open");
            return;
        }
        if (claimFd()) {
            int r = kernel.closeFile(fd);
            if (r < 0) {
                RingEngine.LOG.log(Level.DEBUG, "closing " + path + " at engine close: " + Errno.nameOf(r));
            }
        }
        engine.fileClosed(this);
    }

    @Override
    public String toString() {
        return "RingFile[" + path + ", fd " + fd + (slot >= 0 ? ", fixed slot " + slot : "") + "]";
    }
}
