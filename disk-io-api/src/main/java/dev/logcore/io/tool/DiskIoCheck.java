package dev.logcore.io.tool;

import dev.logcore.io.Availability;
import dev.logcore.io.BackendSetting;
import dev.logcore.io.BackendUnavailableException;
import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.DiskIoException;
import dev.logcore.io.DiskIoProvider;
import dev.logcore.io.DiskIoProviders;
import dev.logcore.io.FsyncKind;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.IoFuture;
import dev.logcore.io.OpenFlag;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code ./logcore check}: lists every DiskIo provider with its availability (or the reason it is
 * not available), selects the backend from the {@code backend} setting, then runs a short write,
 * writev, write-then-sync, sync and read-back check on it and prints the engine's stats.
 *
 * <p>Exit status: 0 when the check passed, 1 when data did not read back as written or an operation
 * failed, 2 for a bad command line or a backend that cannot be used.
 */
public final class DiskIoCheck {
    private static final long TIMEOUT_SECONDS = 60;

    private final PrintStream out;

    private DiskIoCheck(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the check; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> argv = Arrays.asList(args);
        if (argv.contains("--help") || argv.contains("-h")) {
            out.println("""
                    usage: logcore check [--backend NAME|auto] [--data-dir DIR] [--config FILE] [--list]

                    Lists the DiskIo providers and whether each is available here, then runs a short
                    write / writev / write-then-sync / sync / read-back check on the selected backend
                    and prints its stats.

                      --backend NAME   nio, uring-ffi, uring-jni or auto (default auto); also env
                                       LOGCORE_BACKEND, system property logcore.backend, key
                                       'backend' of the config file (highest first: flag, env,
                                       property, file)
                      --data-dir DIR   where the check's scratch file goes (default ./data)
                      --config FILE    a properties file (default ./logcore.properties if present)
                      --list           only list the providers
                    """);
            return 0;
        }
        try {
            Path dataDir = Path.of(option(argv, "--data-dir", "data"));
            Properties file = configFile(argv);
            BackendSetting setting = BackendSetting.resolve(argv, System.getenv(), System.getProperties(), file);
            return new DiskIoCheck(out).check(setting, dataDir, argv.contains("--list"), file);
        } catch (IllegalArgumentException | BackendUnavailableException e) {
            err.println("logcore: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("logcore: " + e.getMessage());
            return 1;
        }
    }

    private static String option(List<String> argv, String name, String dflt) {
        for (int i = 0; i < argv.size(); i++) {
            if (argv.get(i).equals(name)) {
                if (i + 1 >= argv.size()) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                return argv.get(i + 1);
            }
            if (argv.get(i).startsWith(name + "=")) {
                return argv.get(i).substring(name.length() + 1);
            }
        }
        return dflt;
    }

    private static Properties configFile(List<String> argv) throws IOException {
        String named = option(argv, "--config", null);
        Path p = Path.of(named != null ? named : "logcore.properties");
        Properties props = new Properties();
        if (named != null && !Files.isRegularFile(p)) {
            throw new IllegalArgumentException("config file " + p + " does not exist");
        }
        if (Files.isRegularFile(p)) {
            try (InputStream in = Files.newInputStream(p)) {
                props.load(in);
            }
        }
        return props;
    }

    private int check(BackendSetting setting, Path dataDir, boolean listOnly, Properties file)
            throws BackendUnavailableException, IOException {
        List<DiskIoProvider> providers = DiskIoProviders.discover();
        out.println("DiskIo providers (most preferred first):");
        for (DiskIoProviders.Probed p : DiskIoProviders.probeAll(providers)) {
            Availability a = p.availability();
            out.printf("  %-10s %-11s %s%n", p.provider().name(), a.available() ? "available" : "UNAVAILABLE", a.reason());
        }
        if (listOnly) {
            return 0;
        }
        DiskIoProviders.Selection sel = DiskIoProviders.select(setting.value(), providers);
        out.println("backend: " + sel.provider().name() + " (setting '" + setting.value() + "' from " + setting.source() + "; "
                + sel.reason() + ")");
        Files.createDirectories(dataDir);
        Path scratch = dataDir.resolve("check-" + ProcessHandle.current().pid() + ".dat");
        DiskIoConfig cfg = DiskIoConfig.fromProperties(file, "diskio.");
        try (DiskIo io = sel.provider().open(cfg)) {
            boolean ok = exercise(io, scratch, false);
            Path direct = dataDir.resolve("check-" + ProcessHandle.current().pid() + "-direct.dat");
            ok &= exercise(io, direct, true);
            out.println(io.stats().format());
            out.println(ok ? "check passed" : "check FAILED");
            return ok ? 0 : 1;
        } finally {
            Files.deleteIfExists(scratch);
            Files.deleteIfExists(dataDir.resolve("check-" + ProcessHandle.current().pid() + "-direct.dat"));
        }
    }

    private boolean exercise(DiskIo io, Path path, boolean direct) throws IOException {
        String mode = direct ? "O_DIRECT" : "buffered";
        List<OpenFlag> flags = new ArrayList<>(List.of(OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE, OpenFlag.TRUNCATE));
        if (direct) {
            flags.add(OpenFlag.DIRECT);
        }
        DiskFile f;
        try {
            f = await(io.open(path, flags.toArray(new OpenFlag[0])));
        } catch (DiskIoException e) {
            if (direct && e.errno() == dev.logcore.io.Errno.EINVAL) {
                out.println("  " + mode + ": skipped, the file system of " + path.getParent() + " refuses O_DIRECT");
                return true;
            }
            throw e;
        }
        int block = 4096;
        int blocks = 256;
        long t0 = System.nanoTime();
        List<IoFuture<Integer>> writes = new ArrayList<>();
        List<IoBuffer> buffers = new ArrayList<>();
        for (int i = 0; i < blocks; i++) {
            IoBuffer b = io.allocate(block);
            fill(b, i);
            buffers.add(b);
            writes.add(f.write(b, (long) i * block));
        }
        for (IoFuture<Integer> w : writes) {
            await(w);
        }
        long tWrite = System.nanoTime();
        List<IoBuffer> gather = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            IoBuffer b = io.allocate(block);
            fill(b, blocks + i);
            gather.add(b);
        }
        await(f.writev(gather, (long) blocks * block));
        List<IoBuffer> tail = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            IoBuffer b = io.allocate(block);
            fill(b, blocks + 16 + i);
            tail.add(b);
        }
        await(f.writeThenSync(tail, (long) (blocks + 16) * block, FsyncKind.DATA));
        await(f.sync(FsyncKind.FULL));
        long tSync = System.nanoTime();
        int total = blocks + 20;
        IoBuffer r = io.allocate(total * block);
        int n = await(f.read(r, 0));
        long tRead = System.nanoTime();
        boolean ok = n == total * block;
        int bad = -1;
        for (int i = 0; ok && i < total; i++) {
            if (r.getLong(i * block) != marker(i) || r.getLong(i * block + block - 8) != ~marker(i)) {
                ok = false;
                bad = i;
            }
        }
        long size = await(f.size());
        await(f.close());
        buffers.forEach(IoBuffer::close);
        gather.forEach(IoBuffer::close);
        tail.forEach(IoBuffer::close);
        r.close();
        out.printf("  %-8s %d x 4 KiB writes %.1f ms, writev 16 + write-then-sync 4 + fsync %.1f ms, read %d bytes %.1f ms, size %d: %s%n",
                mode, blocks, (tWrite - t0) / 1e6, (tSync - tWrite) / 1e6, n, (tRead - tSync) / 1e6, size,
                ok ? "data verified" : "DATA MISMATCH" + (bad >= 0 ? " at block " + bad : " (read " + n + " bytes)"));
        return ok && size == (long) total * block;
    }

    private static long marker(int block) {
        return 0x4C4F47434F5245L ^ ((long) block * 0x9E3779B97F4A7C15L);
    }

    private static void fill(IoBuffer b, int block) {
        b.fill(0, b.capacity(), (byte) block);
        b.putLong(0, marker(block));
        b.putLong(b.capacity() - 8, ~marker(block));
    }

    private static <T> T await(IoFuture<T> f) throws DiskIoException {
        try {
            return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DiskIoException d) {
                throw d;
            }
            throw new IllegalStateException("operation failed unexpectedly", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("operation did not complete within " + TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
