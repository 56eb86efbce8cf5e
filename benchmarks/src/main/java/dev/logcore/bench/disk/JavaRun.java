package dev.logcore.bench.disk;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.DiskIoProvider;
import dev.logcore.io.FsyncKind;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.IoFuture;
import dev.logcore.io.OpenFlag;
import dev.logcore.io.DiskIoProviders;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Runs a workload on a DiskIo engine the way an event-loop caller does: {@code depth} operations
 * are submitted, and each completion callback records the latency (submission to callback,
 * HdrHistogram) and submits the next one, so {@code depth} stay in flight and the only thread
 * that submits is the one completions arrive on. CPU is the whole process's over the measured
 * window ({@link ProcCpu}).
 */
final class JavaRun {
    /** The JVM options of every measured Java run: a fixed, pre-touched heap (no page faults, no resizing). */
    static final List<String> JVM_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g",
            "-XX:+AlwaysPreTouch");

    private JavaRun() {
    }

    /**
     * Runs one measurement in a JVM of its own ({@link #JVM_OPTIONS}), so engines never share a
     * JIT, a heap or background threads, and the CPU read from /proc is that engine's alone.
     */
    static Result inChildJvm(String provider, Map<String, String> settings, Workload w, Path dir, double warmup, double seconds)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_OPTIONS);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(JavaRun.class.getName());
        cmd.addAll(List.of(provider, w.key(), dir.toString(), Double.toString(warmup), Double.toString(seconds)));
        settings.forEach((k, v) -> cmd.add(k + "=" + v));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(Math.round(warmup + seconds) + 120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("the run did not end: " + cmd);
        }
        for (String line : out.split("\n")) {
            if (line.startsWith("RESULT ")) {
                String[] f = line.substring(7).split(" ", 8);
                return new Result(Long.parseLong(f[0]), Double.parseDouble(f[1]), Integer.parseInt(f[2]), Long.parseLong(f[3]),
                        Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[6]), f.length > 7 ? f[7] : "");
            }
        }
        throw new IOException("the run of " + provider + " on " + w.name() + " failed (exit " + p.exitValue() + "):\n" + out);
    }

    /** Child JVM entry: {@code provider workloadKey dir warmupSeconds seconds [key=value...]}. */
    public static void main(String[] args) throws Exception {
        String provider = args[0];
        Workload w = Workload.all().stream().filter(x -> x.key().equals(args[1])).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no workload " + args[1]));
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 5; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        DiskIoProvider p = DiskIoProviders.discover().stream().filter(x -> x.name().equals(provider)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no provider " + provider + " on the class path"));
        Result r = run(p, DiskIoConfig.of(settings), w, Path.of(args[2]), Double.parseDouble(args[3]), Double.parseDouble(args[4]));
        System.out.printf(Locale.ROOT, "RESULT %d %.6f %d %d %d %d %d %s%n", r.ops(), r.seconds(), r.bytesPerOp(), r.p50Nanos(),
                r.p99Nanos(), r.p999Nanos(), r.cpuNanos(), r.note());
        System.exit(0);
    }

    static Result run(DiskIoProvider provider, DiskIoConfig config, Workload w, Path dir, double warmupSeconds,
            double measureSeconds) throws Exception {
        jitWarmup(provider, config, w);
        Path file = dir.resolve(w.fileName());
        if (w.kind() == Workload.Kind.APPEND_SYNC) {
            Files.deleteIfExists(file);
        }
        long fileSize = w.kind() == Workload.Kind.APPEND_SYNC ? 0 : Files.size(file);
        OpenFlag[] flags = switch (w.kind()) {
            case RANDOM_READ -> w.direct() ? new OpenFlag[] {OpenFlag.READ, OpenFlag.DIRECT} : new OpenFlag[] {OpenFlag.READ};
            case APPEND_SYNC -> new OpenFlag[] {OpenFlag.WRITE, OpenFlag.CREATE_NEW};
            case SEQUENTIAL_WRITE -> new OpenFlag[] {OpenFlag.WRITE, OpenFlag.DIRECT};
        };
        try (DiskIo io = provider.open(config)) {
            DiskFile f = io.open(file, flags).get(30, TimeUnit.SECONDS);
            State s = new State(f, w, fileSize);
            Slot[] slots = new Slot[w.depth()];
            for (int i = 0; i < slots.length; i++) {
                IoBuffer b = io.allocate(w.blockSize());
                for (int k = 0; k < w.blockSize(); k += 8) {
                    b.putLong(k, k * 0x9E3779B97F4A7C15L + i);
                }
                slots[i] = new Slot(s, b);
            }
            for (Slot slot : slots) {
                slot.submit();
            }
            sleep(warmupSeconds);
            long settle = awaitJitQuiet(TimeUnit.SECONDS.toNanos(20));
            s.recorder.getIntervalHistogram(); // drop the warm-up
            long ops0 = s.ops.sum();
            long cpu0 = ProcCpu.nanos();
            long jit0 = jitMillis();
            long t0 = System.nanoTime();
            sleep(measureSeconds);
            long ops1 = s.ops.sum();
            long cpu1 = ProcCpu.nanos();
            long t1 = System.nanoTime();
            long jitInWindow = jitMillis() - jit0;
            Histogram h = s.recorder.getIntervalHistogram();
            s.stopping = true;
            if (!s.idle.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("operations did not drain after the run");
            }
            if (s.error.get() != null) {
                throw new IllegalStateException(provider.name() + " failed during " + w.name(), s.error.get());
            }
            f.close().get(30, TimeUnit.SECONDS);
            for (Slot slot : slots) {
                slot.buf.close();
            }
            return new Result(ops1 - ops0, (t1 - t0) / 1e9, w.blockSize(), h.getValueAtPercentile(50),
                    h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), cpu1 - cpu0, cpu1 - cpu0,
                    String.format(Locale.ROOT, "batch %.1f, jit settled %.1f s, jit in window %d ms", io.stats().meanBatch(),
                            settle / 1e9, jitInWindow));
        }
    }

    /**
     * Brings the JIT to its steady state before anything is measured: the same operations, on a
     * file in tmpfs (where even fdatasync costs nothing), until 30 000 have run. A slow workload
     * (1000 fdatasyncs a second) would otherwise spend its measured window compiling, and charge
     * the compiler threads' CPU to its operations.
     */
    private static void jitWarmup(DiskIoProvider provider, DiskIoConfig config, Workload w) throws Exception {
        Path shm = Path.of("/dev/shm");
        if (!Files.isDirectory(shm)) {
            return;
        }
        Path f = Files.createTempFile(shm, "diskbench-jit-", ".dat");
        try (DiskIo io = provider.open(config)) {
            DiskFile file = io.open(f, OpenFlag.READ, OpenFlag.WRITE).get(30, TimeUnit.SECONDS);
            file.truncate(64L << 20).get(30, TimeUnit.SECONDS);
            Workload small = new Workload(w.name(), w.kind(), 4096, w.depth(), false, w.fileName());
            State s = new State(file, small, 64L << 20);
            Slot[] slots = new Slot[small.depth()];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = new Slot(s, io.allocate(4096));
            }
            for (Slot slot : slots) {
                slot.submit();
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (s.ops.sum() < 30_000 && System.nanoTime() < end && s.error.get() == null) {
                Thread.sleep(10);
            }
            s.stopping = true;
            s.idle.await(60, TimeUnit.SECONDS);
            file.close().get(30, TimeUnit.SECONDS);
        } finally {
            Files.deleteIfExists(f);
        }
    }

    /**
     * Waits (the workload running) until the JIT compiled nothing for a second, at most
     * {@code maxNanos}; returns how long it waited. The tmpfs warm-up runs buffered reads, so the
     * O_DIRECT paths (alignment checks, registered buffers) are compiled only on the real file; C2
     * compiling them inside the measured window would be charged to the I/Os as CPU (measured: the
     * compiler threads took 15% of the process's CPU in a 3 s window after a 1 s warm-up).
     */
    private static long awaitJitQuiet(long maxNanos) throws InterruptedException {
        long start = System.nanoTime();
        long last = jitMillis();
        long quietSince = start;
        while (System.nanoTime() - start < maxNanos) {
            Thread.sleep(100);
            long now = jitMillis();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= 1_000_000_000L) {
                break;
            }
        }
        return System.nanoTime() - start;
    }

    /** Total JIT compilation time so far (ms), or 0 where the JVM does not tell. */
    private static long jitMillis() {
        CompilationMXBean c = ManagementFactory.getCompilationMXBean();
        return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : 0;
    }

    private static void sleep(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
    }

    /** What the slots share. */
    private static final class State {
        final DiskFile file;
        final Workload w;
        final long fileSize;
        final long blocks;
        final Recorder recorder = new Recorder(3);
        final LongAdder ops = new LongAdder();
        final AtomicLong nextOffset = new AtomicLong();
        final CountDownLatch idle;
        final AtomicReference<Throwable> error = new AtomicReference<>();
        volatile boolean stopping;

        State(DiskFile file, Workload w, long fileSize) {
            this.file = file;
            this.w = w;
            this.fileSize = fileSize;
            this.blocks = Math.max(1, fileSize / w.blockSize());
            this.idle = new CountDownLatch(w.depth());
        }
    }

    /** One operation kept in flight: its buffer, and the callback that submits it again. */
    private static final class Slot implements BiConsumer<Object, Throwable> {
        private final State s;
        final IoBuffer buf;
        private final List<IoBuffer> asList;
        private long start;

        Slot(State s, IoBuffer buf) {
            this.s = s;
            this.buf = buf;
            this.asList = List.of(buf);
        }

        void submit() {
            start = System.nanoTime();
            IoFuture<?> f = switch (s.w.kind()) {
                case RANDOM_READ -> s.file.read(buf, ThreadLocalRandom.current().nextLong(s.blocks) * s.w.blockSize());
                case APPEND_SYNC -> s.file.writeThenSync(asList, s.nextOffset.getAndAdd(s.w.blockSize()), FsyncKind.DATA);
                case SEQUENTIAL_WRITE -> s.file.write(buf, s.nextOffset.getAndAdd(s.w.blockSize()) % (s.blocks * s.w.blockSize()));
            };
            f.whenComplete(this);
        }

        @Override
        public void accept(Object result, Throwable err) {
            s.recorder.recordValue(System.nanoTime() - start);
            s.ops.increment();
            if (err != null) {
                s.error.compareAndSet(null, err);
                s.idle.countDown();
                return;
            }
            if (s.stopping) {
                s.idle.countDown();
            } else {
                submit();
            }
        }
    }
}
