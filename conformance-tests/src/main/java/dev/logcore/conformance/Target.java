package dev.logcore.conformance;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.DiskIoException;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.OpenFlag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * What a test body runs against: one provider, variant and mode, with engines opened on demand and
 * a directory of its own, all cleaned up after the test.
 */
public final class Target implements AutoCloseable {
    /** How long the suite waits for any single completion before it calls the provider hung. */
    public static final long TIMEOUT_SECONDS = 60;

    private final Targets.Combination combination;
    private final Path dir;
    private final List<DiskIo> engines = new ArrayList<>();
    private DiskIo engine;

    Target(Targets.Combination combination, Path dir) {
        this.combination = combination;
        this.dir = dir;
    }

    public String provider() {
        return combination.provider().name();
    }

    public String name() {
        return combination.name();
    }

    public Mode mode() {
        return combination.mode();
    }

    public boolean direct() {
        return combination.mode() == Mode.DIRECT;
    }

    /** The engine of this combination with its variant's settings (opened on first use). */
    public synchronized DiskIo engine() {
        if (engine == null) {
            engine = newEngine(Map.of());
        }
        return engine;
    }

    /** Another engine of this combination, with extra settings. Closed after the test. */
    public synchronized DiskIo newEngine(Map<String, String> extra) {
        try {
            DiskIo e = combination.provider().open(combination.config().with(extra));
            engines.add(e);
            return e;
        } catch (DiskIoException e) {
            throw new AssertionError(name() + ": the provider failed to open an engine: " + e.getMessage(), e);
        }
    }

    /** A path in this test's own directory. */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /** This test's own directory. */
    public Path dir() {
        return dir;
    }

    /** Opens a file of this test's directory, adding O_DIRECT in the direct mode. */
    public DiskFile open(String name, OpenFlag... flags) {
        return openPath(file(name), flags);
    }

    /** Opens any path, adding O_DIRECT in the direct mode. */
    public DiskFile openPath(Path path, OpenFlag... flags) {
        OpenFlag[] f = flags;
        if (direct() && !Arrays.asList(flags).contains(OpenFlag.DIRECT)) {
            f = Arrays.copyOf(flags, flags.length + 1);
            f[flags.length] = OpenFlag.DIRECT;
        }
        return await(engine().open(path, f));
    }

    /** Opens a new read-write file in this test's directory. */
    public DiskFile create(String name) {
        return open(name, OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE_NEW);
    }

    /** The size unit requests must keep: the O_DIRECT alignment in direct mode, else 1. */
    public int unit() {
        return direct() ? dev.logcore.io.spi.Requests.directAlignmentOf(dir) : 1;
    }

    /** Rounds up to {@link #unit()}. */
    public int round(int n) {
        int u = unit();
        return (n + u - 1) / u * u;
    }

    /** A buffer from this target's engine, filled with a pattern seeded by {@code seed}. */
    public IoBuffer patterned(int size, long seed) {
        IoBuffer b = engine().allocate(size);
        b.put(0, pattern(size, seed));
        return b;
    }

    /** Deterministic bytes for a seed. */
    public static byte[] pattern(int size, long seed) {
        byte[] out = new byte[size];
        long x = seed * 0x9E3779B97F4A7C15L + 1;
        for (int i = 0; i < size; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            out[i] = (byte) x;
        }
        return out;
    }

    /** Waits for a completion, failing the test if it takes longer than {@link #TIMEOUT_SECONDS}. */
    public static <T> T await(CompletionStage<T> stage) {
        Future<T> f = stage.toCompletableFuture();
        try {
            return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new CompletionException(c);
        } catch (TimeoutException e) {
            throw new AssertionError("operation did not complete within " + TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Waits for a completion that must fail with a {@link DiskIoException}, and returns it. */
    public static DiskIoException failure(CompletionStage<?> stage) {
        Future<?> f = stage.toCompletableFuture();
        try {
            Object v = f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return fail("expected a DiskIoException, but the operation completed with " + v);
        } catch (ExecutionException e) {
            return assertInstanceOf(DiskIoException.class, e.getCause(), "the failure must be a DiskIoException");
        } catch (CancellationException e) {
            return fail("expected a DiskIoException, but the operation was cancelled");
        } catch (TimeoutException e) {
            throw new AssertionError("operation did not complete within " + TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Creates a FIFO in this test's directory: reads on it wait until something is written. */
    public Path fifo(String name) {
        Path p = file(name);
        try {
            Process proc = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
            String out = new String(proc.getInputStream().readAllBytes());
            if (proc.waitFor() != 0) {
                throw new AssertionError("mkfifo failed: " + out);
            }
        } catch (IOException e) {
            throw new AssertionError("mkfifo (coreutils) is needed by the suite: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return p;
    }

    @Override
    public synchronized void close() {
        for (DiskIo e : engines) {
            e.close();
        }
        engines.clear();
        engine = null;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // The directory is the test's own; what is left is found under target/.
        }
    }

    /** The default config of the combination (for tests that reason about it). */
    public DiskIoConfig config() {
        return combination.config();
    }

    @Override
    public String toString() {
        return name();
    }
}
