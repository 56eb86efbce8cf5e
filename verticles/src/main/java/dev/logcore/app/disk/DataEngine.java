package dev.logcore.app.disk;

import dev.logcore.app.config.Settings;
import dev.logcore.io.BackendUnavailableException;
import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.DiskIoProviders;
import dev.logcore.io.DiskIoStats;
import dev.logcore.io.FsyncKind;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.OpenFlag;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The server's DiskIo engine and data directory: the provider picked through the SPI from the
 * {@code backend} setting, an engine opened with the {@code diskio.*} settings, an exclusive lock
 * on the directory (two servers must never share one), and a pid file written through the engine,
 * which proves at start that the engine can write and sync in this directory.
 */
public final class DataEngine implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DataEngine.class.getName());
    static final String LOCK_FILE = ".lock";
    static final String PID_FILE = "logcore.pid";

    private final DiskIo io;
    private final Path dataDir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final String selectionReason;
    private volatile DiskIoStats lastStats;
    private volatile long lastStatsNanos;

    private DataEngine(DiskIo io, Path dataDir, FileChannel lockChannel, FileLock lock, String selectionReason) {
        this.io = io;
        this.dataDir = dataDir;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.selectionReason = selectionReason;
    }

    /** Why an engine could not be opened: the message is one line for the user. */
    public static final class StartupException extends Exception {
        public StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Picks the provider and opens the engine in the data directory.
     *
     * @throws BackendUnavailableException if the backend setting names an unknown or unavailable
     *     provider, or {@code auto} finds none (never a silent fallback)
     * @throws StartupException if the directory cannot be made, is locked, or the engine fails
     */
    public static DataEngine open(Settings settings) throws BackendUnavailableException, StartupException {
        DiskIoProviders.Selection selection = DiskIoProviders.select(settings.backend().value());
        Path dir = settings.dataDir();
        FileChannel lockChannel = null;
        FileLock lock;
        try {
            Files.createDirectories(dir);
            lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = lockChannel.tryLock();
        } catch (IOException e) {
            closeQuietly(lockChannel);
            throw new StartupException("cannot use data directory " + dir + ": " + e, e);
        }
        if (lock == null) {
            closeQuietly(lockChannel);
            throw new StartupException("data directory " + dir + " is in use by another LogCore server (" + LOCK_FILE + " is locked)", null);
        }
        DiskIo io;
        try {
            io = selection.provider().open(DiskIoConfig.of(settings.diskIo()));
        } catch (Exception e) {
            closeQuietly(lockChannel);
            throw new StartupException("DiskIo provider " + selection.provider().name() + " failed to open an engine: " + e.getMessage(), e);
        }
        DataEngine engine = new DataEngine(io, dir, lockChannel, lock, selection.reason());
        try {
            engine.writePidFile();
        } catch (Exception e) {
            engine.close();
            throw new StartupException("DiskIo provider " + io.providerName() + " cannot write in " + dir + ": " + cause(e).getMessage(), e);
        }
        return engine;
    }

    private void writePidFile() throws Exception {
        byte[] text = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
        DiskFile f = io.open(dataDir.resolve(PID_FILE), OpenFlag.WRITE, OpenFlag.CREATE, OpenFlag.TRUNCATE).get(10, TimeUnit.SECONDS);
        try (IoBuffer buf = io.allocate(IoBuffer.PAGE_SIZE)) {
            buf.put(0, text).limit(text.length);
            f.writeThenSync(List.of(buf), 0, FsyncKind.DATA).get(10, TimeUnit.SECONDS);
        } finally {
            f.close().get(10, TimeUnit.SECONDS);
        }
    }

    /** The provider's name. */
    public String providerName() {
        return io.providerName();
    }

    /** Why the provider was picked, with why the others were passed over. */
    public String selectionReason() {
        return selectionReason;
    }

    public Path dataDir() {
        return dataDir;
    }

    public DiskIo io() {
        return io;
    }

    /** The engine's counters, at most about a second old (a snapshot computes percentiles). */
    public DiskIoStats stats() {
        long now = System.nanoTime();
        DiskIoStats s = lastStats;
        if (s == null || now - lastStatsNanos > 1_000_000_000L) {
            s = io.stats();
            lastStats = s;
            lastStatsNanos = now;
        }
        return s;
    }

    /** Removes the pid file, closes the engine (bounded by the engine's close timeout), unlocks. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(dataDir.resolve(PID_FILE));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove " + dataDir.resolve(PID_FILE) + ": " + e);
        }
        try {
            io.close();
        } finally {
            try {
                lock.release();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "unlock: " + e);
            }
            closeQuietly(lockChannel);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing more to do: the process is giving the directory up
            }
        }
    }

    static Throwable cause(Throwable t) {
        return t instanceof ExecutionException && t.getCause() != null ? t.getCause()
                : t instanceof TimeoutException ? new IOException("timed out", t) : t;
    }
}
