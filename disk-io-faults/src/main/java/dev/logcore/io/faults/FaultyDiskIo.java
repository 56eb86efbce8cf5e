package dev.logcore.io.faults;

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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link DiskIo} for tests that wraps a real provider's engine: every operation runs on the real
 * engine against real files, while this wrapper models the page cache (what was written but not
 * yet synced, sector by sector; see {@link FileModel}) and injects {@link Fault}s.
 *
 * <p>{@link #crash(CrashMode)} simulates a machine crash: from then on every operation fails with
 * EIO, and the files on disk are rewritten to a state the crash could have left: synced data
 * intact, unsynced data dropped, kept or torn at sector boundaries as the mode says. The test then
 * opens a fresh engine on the same directory and checks what recovery makes of it.
 *
 * <p>This is a test tool, never a provider: it is not registered with ServiceLoader.
 */
public final class FaultyDiskIo implements DiskIo {
    /** The sector size torn writes are cut at. */
    public static final int SECTOR = 512;

    private final DiskIo real;
    private final Random random;
    private final Object lock = new Object();
    private final Map<Path, FileModel> models = new HashMap<>();
    private final List<Fault> faults = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong writeIds = new AtomicLong();
    private final AtomicLong syncs = new AtomicLong();
    private volatile boolean crashed;

    /**
     * @param real the engine that does the I/O (owned by this wrapper from now on: closed with it)
     * @param seed the seed of every random choice (bit positions, short-write cuts, crash states)
     */
    public FaultyDiskIo(DiskIo real, long seed) {
        this.real = real;
        this.random = new Random(seed);
    }

    /** Adds a fault; returns it so the test can ask whether it fired. */
    public Fault inject(Fault f) {
        synchronized (lock) {
            faults.add(f);
        }
        return f;
    }

    /** Removes every fault not fired yet. */
    public void clearFaults() {
        synchronized (lock) {
            faults.clear();
        }
    }

    /** Successful syncs so far (including the sync half of writeThenSync). */
    public long syncCount() {
        return syncs.get();
    }

    /** Sectors written and not yet synced, over all files. */
    public int unsyncedSectors() {
        synchronized (lock) {
            return models.values().stream().mapToInt(FileModel::dirtySectors).sum();
        }
    }

    /** Whether {@link #crash} was called. */
    public boolean isCrashed() {
        return crashed;
    }

    /**
     * Simulates a crash: every later operation fails with EIO; operations in flight are waited for
     * (up to 10 s), then every file is put into a state the crash could leave. Returns one line per
     * file saying what was kept.
     */
    public List<String> crash(CrashMode mode) throws IOException {
        crashed = true;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.yield();
        }
        List<String> out = new ArrayList<>();
        synchronized (lock) {
            for (FileModel m : models.values()) {
                out.add(m.applyCrash(mode, random));
            }
            models.clear();
        }
        return out;
    }

    FileModel model(Path path) throws IOException {
        synchronized (lock) {
            FileModel m = models.get(path);
            if (m == null) {
                m = new FileModel(path, SECTOR, Files.exists(path) ? Files.size(path) : 0);
                models.put(path, m);
            }
            return m;
        }
    }

    /** The first fault that fires for this operation, or null. */
    Fault firing(Fault.Point p, Path path) {
        synchronized (lock) {
            for (Fault f : faults) {
                if (f.fires(p, path)) {
                    return f;
                }
            }
        }
        return null;
    }

    Object lock() {
        return lock;
    }

    Random random() {
        synchronized (lock) {
            return new Random(random.nextLong());
        }
    }

    long nextWriteId() {
        return writeIds.incrementAndGet();
    }

    /**
     * Admits an operation: {@code false} once crashed. The count goes up before the crash flag is
     * read, and {@link #crash} sets the flag before it waits for the count to drop, so an admitted
     * operation always finishes before the crash image is made and none runs after it.
     */
    boolean enter() {
        inFlight.incrementAndGet();
        if (crashed) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    void enterAlways() {
        inFlight.incrementAndGet();
    }

    void ended() {
        inFlight.decrementAndGet();
    }

    void synced() {
        syncs.incrementAndGet();
    }

    boolean crashedNow() {
        return crashed;
    }

    DiskIo realEngine() {
        return real;
    }

    static DiskIoException crashError(OpKind op, Path path) {
        return new DiskIoException(op, path, Errno.EIO, "simulated crash: the machine is down");
    }

    /** A sync on a directory made the names created in it durable. */
    void directorySynced(Path dir, List<Path> createdBefore) {
        synchronized (lock) {
            for (Path p : createdBefore) {
                FileModel m = models.get(p);
                if (m != null && dir.equals(p.toAbsolutePath().getParent())) {
                    m.nameDurable = true;
                }
            }
        }
    }

    /** Files not yet durable by name in {@code dir}. */
    List<Path> undurableNamesIn(Path dir) {
        synchronized (lock) {
            List<Path> out = new ArrayList<>();
            for (FileModel m : models.values()) {
                if (!m.nameDurable && dir.equals(m.path.toAbsolutePath().getParent())) {
                    out.add(m.path);
                }
            }
            return out;
        }
    }

    @Override
    public String providerName() {
        return real.providerName();
    }

    @Override
    public DiskIoConfig config() {
        return real.config();
    }

    @Override
    public IoBuffer allocate(int capacity) {
        return real.allocate(capacity);
    }

    @Override
    public IoFuture<DiskFile> open(Path path, OpenFlag... flags) {
        Path abs = path.toAbsolutePath();
        if (crashed) {
            return IoFuture.failed(crashError(OpKind.OPEN, abs));
        }
        List<OpenFlag> fl = Arrays.asList(flags);
        boolean creating = (fl.contains(OpenFlag.CREATE) || fl.contains(OpenFlag.CREATE_NEW)) && !Files.exists(abs);
        boolean truncating = fl.contains(OpenFlag.TRUNCATE);
        FaultFuture<DiskFile> out = new FaultFuture<>();
        if (!enter()) {
            return IoFuture.failed(crashError(OpKind.OPEN, abs));
        }
        IoFuture<DiskFile> inner;
        try {
            inner = real.open(abs, flags);
        } catch (RuntimeException e) {
            ended();
            throw e;
        }
        out.track(inner);
        inner.whenComplete((f, err) -> {
            try {
                if (err != null) {
                    out.fail(err);
                    return;
                }
                if (!Files.isDirectory(abs)) {
                    synchronized (lock) {
                        FileModel m = models.get(abs);
                        if (m == null || creating || truncating) {
                            m = new FileModel(abs, SECTOR, creating || truncating ? 0 : sizeOf(abs));
                            models.put(abs, m);
                        }
                        if (creating) {
                            m.nameDurable = false;
                        }
                    }
                }
                out.succeed(new FaultyFile(this, f, abs));
            } finally {
                ended();
            }
        });
        return out;
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public DiskIoStats stats() {
        return real.stats();
    }

    @Override
    public boolean isOpen() {
        return real.isOpen();
    }

    @Override
    public void close() {
        real.close();
    }

    /** An IoFuture completed by this wrapper once the real operation is done. */
    static class FaultFuture<T> extends IoFuture<T> {
        private volatile CompletableFuture<?> inner;

        void track(CompletableFuture<?> f) {
            inner = f;
        }

        void succeed(T v) {
            finish(v);
        }

        /** Completes as the operation underneath ended: with its error if it failed, else with {@code v}. */
        void settle(T v, Throwable err) {
            if (err != null) {
                fail(err);
            } else {
                succeed(v);
            }
        }

        void fail(Throwable t) {
            Throwable c = t;
            while (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
                c = c.getCause();
            }
            if (c instanceof java.util.concurrent.CancellationException) {
                finishCancelled();
            } else {
                finishExceptionally(c);
            }
        }

        @Override
        protected boolean requestCancel() {
            CompletableFuture<?> f = inner;
            if (f != null) {
                f.cancel(false);
            }
            return false;
        }
    }
}
