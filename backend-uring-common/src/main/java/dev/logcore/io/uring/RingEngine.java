package dev.logcore.io.uring;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.DiskIoException;
import dev.logcore.io.DiskIoStats;
import dev.logcore.io.Errno;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.IoFuture;
import dev.logcore.io.OpKind;
import dev.logcore.io.OpenFlag;
import dev.logcore.io.spi.Requests;
import dev.logcore.io.spi.StatsRecorder;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The io_uring engine both io_uring providers share. Callers on any thread turn requests into
 * {@link RingOp}s and push them on one MPSC queue; one ring thread ({@link RingLoop}) turns whole
 * batches into SQEs, hands them to the kernel with one {@code io_uring_enter} and dispatches the
 * completions. The kernel is reached only through a {@link KernelRing}: the provider's part.
 */
public final class RingEngine implements DiskIo {
    static final System.Logger LOG = System.getLogger("dev.logcore.io.uring");
    private static final int CLOSED_BIT = 1 << 30;
    private static final AtomicInteger ENGINES = new AtomicInteger();
    private static final Charset PATH_CHARSET = pathCharset();

    final String provider;
    final DiskIoConfig config;
    final UringSettings settings;
    final StatsRecorder stats;
    final OpQueue queue = new OpQueue();
    final ConcurrentLinkedQueue<RingOp<?>> cancels = new ConcurrentLinkedQueue<>();
    final Set<RingFile> openFiles = ConcurrentHashMap.newKeySet();
    /** Admitted operations not yet ended, with {@link #CLOSED_BIT} once the engine closes. */
    private final AtomicInteger admission = new AtomicInteger();
    final RingLoop loop;
    final BufferPool pool;
    private final Fallbacks fallbacks;
    private volatile boolean closed;

    private RingEngine(String provider, DiskIoConfig config, UringSettings settings, KernelRing.Factory factory) {
        this.provider = provider;
        this.config = config;
        this.settings = settings;
        this.stats = new StatsRecorder(provider);
        int id = ENGINES.incrementAndGet();
        this.pool = settings.registeredBufferMiB() > 0 ? new BufferPool((long) settings.registeredBufferMiB() << 20) : null;
        this.fallbacks = new Fallbacks(provider + "-" + id);
        this.loop = new RingLoop(this, factory, "logcore-" + provider + "-" + id);
    }

    /**
     * Opens an engine: starts its ring thread, which sets up the ring (trying the flag sets of
     * {@link UringSettings#setupsToTry()}), registers the buffer pool and the file table.
     *
     * @throws DiskIoException naming the errno if the ring cannot be set up
     * @throws IllegalArgumentException for a malformed setting
     */
    public static RingEngine open(String provider, DiskIoConfig config, KernelRing.Factory factory) throws DiskIoException {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(factory, "factory");
        RingEngine e = new RingEngine(provider, config, UringSettings.of(config), factory);
        try {
            e.loop.start();
        } catch (DiskIoException | RuntimeException | Error t) {
            e.closed = true;
            if (e.pool != null) {
                e.pool.engineDone();
            }
            e.fallbacks.shutdown();
            throw t;
        }
        return e;
    }

    // ------------------------------------------------------------------ DiskIo

    @Override
    public String providerName() {
        return provider;
    }

    @Override
    public DiskIoConfig config() {
        return config;
    }

    @Override
    public IoBuffer allocate(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("buffer capacity must be positive, was " + capacity);
        }
        if (pool != null && loop.buffersRegistered() && !closed) {
            IoBuffer b = pool.allocate(capacity);
            if (b != null) {
                return b;
            }
        }
        return IoBuffer.allocate(capacity);
    }

    @Override
    public IoFuture<DiskFile> open(Path path, OpenFlag... flags) {
        Objects.requireNonNull(path, "path");
        Set<OpenFlag> fl = Requests.openFlags(flags);
        if (closed) {
            return refused(OpKind.OPEN, path, Errno.ESHUTDOWN, "the engine is closed");
        }
        byte[] name = path.toString().getBytes(PATH_CHARSET);
        if (name.length >= 4096) {
            return refused(OpKind.OPEN, path, Errno.ENAMETOOLONG, "the path is longer than PATH_MAX");
        }
        for (byte b : name) {
            if (b == 0) {
                return refused(OpKind.OPEN, path, Errno.EINVAL, "the path contains a NUL byte");
            }
        }
        // What io_uring does not tell: whether the file can seek, and O_DIRECT's alignment.
        boolean stream = isStream(path);
        int alignment = 1;
        if (fl.contains(OpenFlag.DIRECT)) {
            Path existing = Files.exists(path) ? path : path.toAbsolutePath().getParent();
            alignment = existing == null ? IoBuffer.PAGE_SIZE : Requests.directAlignmentOf(existing);
        }
        return submit(new OpenOp(this, path, fl, name, openFlags(fl), stream, alignment));
    }

    private static boolean isStream(Path path) {
        try {
            Object mode = Files.getAttribute(path, "unix:mode");
            int type = ((Integer) mode) & 0170000;
            return type != 0100000 && type != 0060000 && type != 0040000; // regular, block device, directory
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false; // missing (it will be created as a regular file) or unknown: positional
        }
    }

    static int openFlags(Set<OpenFlag> fl) {
        boolean read = fl.contains(OpenFlag.READ);
        boolean write = fl.contains(OpenFlag.WRITE);
        int f = write ? (read ? Sqe.O_RDWR : Sqe.O_WRONLY) : Sqe.O_RDONLY;
        if (fl.contains(OpenFlag.CREATE)) {
            f |= Sqe.O_CREAT;
        }
        if (fl.contains(OpenFlag.CREATE_NEW)) {
            f |= Sqe.O_CREAT | Sqe.O_EXCL;
        }
        if (fl.contains(OpenFlag.TRUNCATE)) {
            f |= Sqe.O_TRUNC;
        }
        if (fl.contains(OpenFlag.DSYNC)) {
            f |= Sqe.O_DSYNC;
        }
        if (fl.contains(OpenFlag.DIRECT)) {
            f |= Sqe.O_DIRECT;
        }
        return f | Sqe.O_CLOEXEC | Sqe.O_LARGEFILE;
    }

    private static Charset pathCharset() {
        String jnu = System.getProperty("sun.jnu.encoding");
        try {
            return jnu == null ? Charset.defaultCharset() : Charset.forName(jnu);
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    @Override
    public DiskIoStats stats() {
        return stats.snapshot();
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    /**
     * Closes the engine: admission stops, queued operations fail with ECANCELED, operations in the
     * kernel are cancelled with ASYNC_CANCEL and waited for up to {@code closeTimeoutMs}; whatever
     * the kernel still holds after that fails and keeps its buffers for good; then files, ring and
     * memory are freed. Called on the ring thread (from a completion callback) it only starts the
     * close, which the ring thread finishes when the callback returns.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        admission.getAndUpdate(s -> s | CLOSED_BIT);
        loop.wakeAlways();
        if (loop.isRingThread()) {
            return;
        }
        long waitMs = settings.closeTimeout().toMillis() + 5_000;
        if (!loop.awaitTermination(waitMs, TimeUnit.MILLISECONDS)) {
            LOG.log(Level.WARNING, provider + " engine close: the ring thread did not finish within " + waitMs
                    + " ms; its ring and buffers are left to it");
        }
    }

    // ------------------------------------------------------------------ submission

    boolean isClosed() {
        return closed;
    }

    /** Admits, queues and returns an operation whose buffers are in flight and whose gate was entered. */
    <T> IoFuture<T> submit(RingOp<T> op) {
        while (true) {
            int s = admission.get();
            if ((s & CLOSED_BIT) != 0) {
                return failUnadmitted(op, Errno.ESHUTDOWN, "the engine is closed");
            }
            if (s >= settings.maxInFlight()) {
                return failUnadmitted(op, Errno.EAGAIN, "more than maxInFlight=" + settings.maxInFlight() + " operations in flight");
            }
            if (admission.compareAndSet(s, s + 1)) {
                break;
            }
        }
        queue.push(op);
        loop.wakeIfSleeping();
        return op;
    }

    private <T> IoFuture<T> failUnadmitted(RingOp<T> op, Errno errno, String detail) {
        op.markDone();
        op.release();
        op.exitGate();
        stats.completed(op.kind, op.startNanos, 0, false);
        op.failFuture(new DiskIoException(op.kind, op.path(), errno, detail));
        return op;
    }

    <T> IoFuture<T> refused(OpKind kind, Path path, Errno errno, String detail) {
        stats.rejected(kind);
        return IoFuture.failed(new DiskIoException(kind, path, errno, detail));
    }

    /** Operations admitted and not yet ended. */
    int admitted() {
        return admission.get() & ~CLOSED_BIT;
    }

    /** The end of every admitted operation, on whatever thread it ends: buffers back, then the future. */
    void end(RingOp<?> op) {
        if (op.markDone()) {
            finishOp(op);
        }
    }

    /** An operation cancelled while still queued (already marked done by its canceller). */
    void endDropped(RingOp<?> op) {
        finishOp(op);
    }

    private void finishOp(RingOp<?> op) {
        op.release();
        op.exitGate();
        boolean ok = op.error == null && !op.cancelled;
        stats.completed(op.kind, op.startNanos, ok ? op.statBytes() : 0, ok);
        admission.decrementAndGet();
        if (closed) {
            loop.wakeAlways(); // the closing ring thread counts the operations still out
        }
        op.completeFuture();
    }

    /**
     * Fails an operation the kernel never gave back within the close timeout. Its buffers stay in
     * flight for good: the kernel may still write into them.
     */
    void abandon(RingOp<?> op) {
        if (op.markDone()) {
            op.exitGate();
            stats.completed(op.kind, op.startNanos, 0, false);
            admission.decrementAndGet();
            op.failFuture(new DiskIoException(op.kind, op.path(), Errno.ECANCELED,
                    "the engine closed while the operation was stuck in the kernel; its buffers stay in flight"));
        }
    }

    void requestCancel(RingOp<?> op) {
        cancels.add(op);
        loop.wakeIfSleeping();
    }

    /** Runs a blocking step on the fallback thread, then ends the operation or queues its next step. */
    void runFallback(RingOp<?> op) {
        boolean queued = fallbacks.execute(op, () -> {
            int r;
            try {
                r = op.runBlocking();
            } catch (RuntimeException | Error e) {
                op.error = new DiskIoException(op.kind, op.path(), Errno.EIO, "fallback failed: " + e, e);
                r = RingOp.END;
            }
            if (r == RingOp.END) {
                end(op);
            } else if (loop.hasExited()) {
                op.fail(Errno.ECANCELED, "the engine closed during the operation");
                end(op);
            } else {
                queue.push(op);
                loop.wakeIfSleeping();
            }
        });
        if (!queued) {
            op.fail(Errno.ECANCELED, "the engine closed before the operation started");
            end(op);
        }
    }

    KernelRing kernel() {
        return loop.kernel();
    }

    void fileOpened(RingFile f) {
        openFiles.add(f);
    }

    void fileClosed(RingFile f) {
        openFiles.remove(f);
    }

    void shutdownFallbacks() {
        for (RingOp<?> op : fallbacks.shutdown()) {
            op.fail(Errno.ECANCELED, "the engine closed before the operation started");
            end(op);
        }
    }

    // ------------------------------------------------------------------ for tests and the providers

    /** What the ring looks like: setup flags accepted, opcodes, what is registered. */
    public RingReport report() {
        return loop.report();
    }

    /**
     * The {@code io_uring_enter} calls that handed no operation to the kernel: the ring thread
     * waiting while idle, or woken to take new work. The stats' system calls count only the enters
     * that submitted operations.
     */
    public long waitCalls() {
        return loop.waitCalls();
    }

    /**
     * Operation SQEs written so far with {@code opcode} (diagnostics: which opcodes the engine
     * really used, READ_FIXED or READ, FTRUNCATE or the fallback). Read after the operations'
     * futures completed.
     */
    public long sqesWritten(int opcode) {
        return loop.sqeCount(opcode);
    }

    /** Operation SQEs that used a fixed-file slot ({@code IOSQE_FIXED_FILE}). */
    public long fixedFileSqes() {
        return loop.fixedFileSqes();
    }

    /** Operation SQEs linked to the next one ({@code IOSQE_IO_LINK}: write-then-sync). */
    public long linkedSqes() {
        return loop.linkedSqes();
    }

    /** A one-line description for logs. */
    @Override
    public String toString() {
        return provider + " engine" + (closed ? " (closed)" : "") + ": " + report();
    }

    /** Files still open (tests). */
    List<RingFile> files() {
        return new ArrayList<>(openFiles);
    }
}
