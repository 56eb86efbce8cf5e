package dev.logcore.io.nio;

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
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The nio engine: a fixed pool of daemon worker threads runs blocking FileChannel calls and
 * completes the futures. Admission is bounded by {@code maxInFlight}; past it operations fail fast
 * with EAGAIN rather than queue without limit.
 */
final class NioDiskIo implements DiskIo {
    private static final System.Logger LOG = System.getLogger("dev.logcore.io.nio");
    private static final AtomicInteger ENGINES = new AtomicInteger();

    final StatsRecorder stats = new StatsRecorder(NioProvider.NAME);
    private final DiskIoConfig config;
    private final ThreadPoolExecutor pool;
    private final int maxInFlight;
    private final Duration closeTimeout;
    private final AtomicInteger admitted = new AtomicInteger();
    private final Set<NioDiskFile> openFiles = ConcurrentHashMap.newKeySet();
    private final Set<NioOp<?>> live = ConcurrentHashMap.newKeySet();
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    NioDiskIo(DiskIoConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        int threads = config.getInt(NioProvider.THREADS, 8, 1, 1024);
        this.maxInFlight = config.getInt(DiskIoConfig.MAX_IN_FLIGHT, 65536, 1, 1 << 24);
        this.closeTimeout = config.getMillis(DiskIoConfig.CLOSE_TIMEOUT_MS, Duration.ofSeconds(10));
        int id = ENGINES.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(() -> {
                workers.add(Thread.currentThread());
                try {
                    r.run();
                } finally {
                    workers.remove(Thread.currentThread());
                }
            }, "logcore-nio-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), tf);
    }

    @Override
    public String providerName() {
        return NioProvider.NAME;
    }

    @Override
    public DiskIoConfig config() {
        return config;
    }

    @Override
    public IoBuffer allocate(int capacity) {
        return IoBuffer.allocate(capacity);
    }

    @Override
    public IoFuture<DiskFile> open(Path path, OpenFlag... flags) {
        Objects.requireNonNull(path, "path");
        Set<OpenFlag> fl = Requests.openFlags(flags);
        if (closed) {
            return refused(OpKind.OPEN, path, Errno.ESHUTDOWN, "the engine is closed");
        }
        return submit(new NioOp<>(this, OpKind.OPEN, path, null, List.of(), op -> {
            FileChannel ch = FileChannel.open(path, options(fl, true));
            stats.systemCall(1);
            FileChannel buffered = null;
            try {
                int align = 1;
                if (fl.contains(OpenFlag.DIRECT)) {
                    align = Requests.directAlignmentOf(path);
                    if (fl.contains(OpenFlag.WRITE)) {
                        // FileChannel cannot grow a file by truncate(), and O_DIRECT cannot write the
                        // unaligned byte that would; a buffered twin, opened now so it is the same
                        // inode even if the path is renamed later, does that.
                        buffered = FileChannel.open(path, StandardOpenOption.WRITE);
                        stats.systemCall(1);
                    }
                }
                NioDiskFile f = new NioDiskFile(this, path, fl, ch, buffered, align);
                openFiles.add(f);
                if (closed) {
                    f.forceClose();
                    throw new DiskIoException(OpKind.OPEN, path, Errno.ESHUTDOWN, "the engine closed while the file was opening");
                }
                return (DiskFile) f;
            } catch (Throwable t) {
                closeQuietly(ch);
                closeQuietly(buffered);
                throw t;
            }
        }));
    }

    private static OpenOption[] options(Set<OpenFlag> flags, boolean includeDirect) {
        List<OpenOption> o = new ArrayList<>();
        for (OpenFlag f : flags) {
            switch (f) {
                case READ -> o.add(StandardOpenOption.READ);
                case WRITE -> o.add(StandardOpenOption.WRITE);
                case CREATE -> o.add(StandardOpenOption.CREATE);
                case CREATE_NEW -> o.add(StandardOpenOption.CREATE_NEW);
                case TRUNCATE -> o.add(StandardOpenOption.TRUNCATE_EXISTING);
                case DSYNC -> o.add(StandardOpenOption.DSYNC);
                case DIRECT -> {
                    if (includeDirect) {
                        o.add(com.sun.nio.file.ExtendedOpenOption.DIRECT);
                    }
                }
            }
        }
        return o.toArray(new OpenOption[0]);
    }

    static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (java.io.IOException e) {
                LOG.log(Level.DEBUG, "closing a channel failed", e);
            }
        }
    }

    <T> IoFuture<T> refused(OpKind kind, Path path, Errno errno, String detail) {
        stats.rejected(kind);
        return IoFuture.failed(new DiskIoException(kind, path, errno, detail));
    }

    /** Admits and queues an operation whose buffers are in flight and whose gate was entered. */
    <T> IoFuture<T> submit(NioOp<T> op) {
        if (admitted.incrementAndGet() > maxInFlight) {
            op.failIfQueued(new DiskIoException(op.kind, op.path, Errno.EAGAIN,
                    "more than maxInFlight=" + maxInFlight + " operations in flight"));
            return op;
        }
        live.add(op);
        if (closed) {
            op.failIfQueued(new DiskIoException(op.kind, op.path, Errno.ESHUTDOWN, "the engine is closed"));
            return op;
        }
        try {
            pool.execute(op);
        } catch (RejectedExecutionException e) {
            op.failIfQueued(new DiskIoException(op.kind, op.path, Errno.ESHUTDOWN, "the engine is closed"));
        }
        return op;
    }

    /** Called exactly once per admitted operation when it ends. */
    void opEnded(NioOp<?> op) {
        admitted.decrementAndGet();
        live.remove(op);
    }

    void dequeue(NioOp<?> op) {
        pool.remove(op);
        live.remove(op);
    }

    void fileClosed(NioDiskFile f) {
        openFiles.remove(f);
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public DiskIoStats stats() {
        return stats.snapshot();
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        pool.shutdown();
        List<Runnable> queued = new ArrayList<>();
        pool.getQueue().drainTo(queued);
        DiskIoException dropped = new DiskIoException(OpKind.CANCEL, null, Errno.ECANCELED,
                "the engine closed before the operation started");
        for (Runnable r : queued) {
            ((NioOp<?>) r).failIfQueued(dropped);
        }
        boolean onWorker = workers.contains(Thread.currentThread());
        if (!onWorker && !awaitWorkers(closeTimeout)) {
            // Closing the channels wakes threads blocked in them (they fail with EBADF).
            LOG.log(Level.WARNING, "nio engine close: operations still running after " + closeTimeout.toMillis()
                    + " ms; closing their files to stop them");
            for (NioDiskFile f : new ArrayList<>(openFiles)) {
                f.forceClose();
            }
            if (!awaitWorkers(Duration.ofSeconds(5))) {
                DiskIoException stuck = new DiskIoException(OpKind.CANCEL, null, Errno.ECANCELED,
                        "the engine closed while the operation was stuck in the kernel; its buffers stay in flight");
                for (NioOp<?> op : new HashSet<>(live)) {
                    if (op.isRunning()) {
                        op.abandon(stuck);
                    }
                }
            }
        }
        for (NioDiskFile f : new ArrayList<>(openFiles)) {
            f.forceClose();
        }
        live.clear();
    }

    private boolean awaitWorkers(Duration timeout) {
        try {
            return pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
