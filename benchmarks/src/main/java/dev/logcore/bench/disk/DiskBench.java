package dev.logcore.bench.disk;

import dev.logcore.io.DiskIoProvider;
import dev.logcore.io.DiskIoProviders;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The disk report: fio (io_uring, the physical reference), nio (one thread doing the FileChannel
 * calls, then as many worker threads as the queue depth: nio.threads), uring-jni (and uring-ffi when its provider is on the class
 * path) on the same files and workloads, in interleaved rounds; each figure is the median over the
 * rounds, each ratio the median of the per-round ratios.
 *
 * <pre>
 * java -cp benchmarks/target/classes:benchmarks/target/lib/* dev.logcore.bench.disk.DiskBench [options]
 *   --quick            one round of 1 s + 2 s per run (a smoke run)
 *   --rounds N         interleaved rounds (default 5)
 *   --seconds S        measured seconds per run (default 4)
 *   --warmup S         warm-up seconds per run, not measured (default 1)
 *   --dir PATH         where the files go (default benchmarks/target/bench-disk; a disk, not tmpfs)
 *   --only K,K         workloads by key: randread32, randread1, randread128, warmread32, fdatasync, seqwrite
 *   --engines E,E      rows by name: fio, nio, nio-threads, uring-jni, uring-ffi
 *   --variant L:P:k=v,k=v  an extra row L: provider P with these settings (for A/B tuning)
 * </pre>
 *
 * <p>Each Java run happens in a JVM of its own with a fixed, pre-touched 1 GiB heap
 * ({@link JavaRun#JVM_OPTIONS}).
 */
public final class DiskBench {
    private DiskBench() {
    }

    /** One row of the table: how to run an engine. */
    private record Engine(String name, DiskIoProvider provider, Map<String, String> settings) {
        boolean isFio() {
            return provider == null;
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = 5;
        double seconds = 4;
        double warmup = 1;
        Path dir = Path.of("benchmarks/target/bench-disk");
        List<String> only = List.of();
        List<String> engines = List.of();
        List<String[]> variants = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> {
                    rounds = 1;
                    seconds = 2;
                    warmup = 1;
                }
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                case "--only" -> only = Arrays.asList(args[++i].split(","));
                case "--engines" -> engines = Arrays.asList(args[++i].split(","));
                case "--variant" -> variants.add(args[++i].split(":", 3));
                case "--help", "-h" -> {
                    System.out.println("usage: DiskBench [--quick] [--rounds N] [--seconds S] [--warmup S] [--dir PATH]"
                            + " [--only randread32,randread1,randread128,warmread32,fdatasync,seqwrite]"
                            + " [--engines fio,nio,nio-threads,uring-jni,uring-ffi]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        Files.createDirectories(dir);
        dir = dir.toAbsolutePath();
        List<Workload> workloads = new ArrayList<>();
        for (Workload w : Workload.all()) {
            if (only.isEmpty() || only.contains(w.key())) {
                workloads.add(w);
            }
        }
        System.out.println("# disk report: " + rounds + " interleaved rounds, " + warmup + " s warm-up + " + seconds
                + " s measured per run, files in " + dir);
        System.out.println("# load before: " + loadAverage() + "; " + Runtime.getRuntime().availableProcessors() + " CPUs; "
                + "kernel " + Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
        prepare(dir);

        Map<Workload, List<Engine>> rows = new LinkedHashMap<>();
        for (Workload w : workloads) {
            List<Engine> list = new ArrayList<>();
            list.add(new Engine("fio", null, Map.of()));
            for (DiskIoProvider p : DiskIoProviders.discover()) {
                if (!DiskIoProviders.safeProbe(p).available()) {
                    System.out.println("# " + p.name() + " is not available here: " + DiskIoProviders.safeProbe(p).reason());
                    continue;
                }
                if (p.name().equals("nio")) {
                    // One thread doing the FileChannel calls (a caller without a pool), then as many
                    // threads as the queue depth (the same concurrency as the ring).
                    list.add(new Engine("nio", p, Map.of("nio.threads", "1")));
                    if (w.depth() > 1) {
                        list.add(new Engine("nio-threads", p, Map.of("nio.threads", Integer.toString(w.depth()))));
                    }
                } else if (p.name().startsWith("uring")) {
                    list.add(new Engine(p.name(), p, Map.of()));
                }
            }
            List<String> wanted = engines;
            list.removeIf(e -> !wanted.isEmpty() && !wanted.contains(e.name()));
            for (String[] v : variants) {
                DiskIoProvider p = DiskIoProviders.discover().stream().filter(x -> x.name().equals(v[1])).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no provider " + v[1]));
                Map<String, String> settings = new LinkedHashMap<>();
                if (v.length > 2 && !v[2].isBlank()) {
                    for (String kv : v[2].split(",")) {
                        settings.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                    }
                }
                list.add(new Engine(v[0], p, settings));
            }
            rows.put(w, list);
        }

        Map<String, List<Result>> results = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (Workload w : workloads) {
                List<Engine> list = rows.get(w);
                for (int k = 0; k < list.size(); k++) {
                    Engine e = list.get((k + r) % list.size()); // a different order each round
                    if (!w.direct() && w.kind() == Workload.Kind.RANDOM_READ) {
                        warmCache(dir.resolve(w.fileName()));
                    }
                    Result res = e.isFio() ? FioRun.run(w, dir, warmup, seconds)
                            : JavaRun.inChildJvm(e.provider().name(), e.settings(), w, dir, warmup, seconds);
                    results.computeIfAbsent(key(w, e), x -> new ArrayList<>()).add(res);
                    System.out.printf(Locale.ROOT, "# round %d  %-38s %-12s %10.0f IOPS  p50 %7.1f us  CPU %6.2f us/IO%s  %s%n",
                            r + 1, w.name(), e.name(), res.iops(), res.p50Nanos() / 1e3, res.cpuMicrosPerOp(),
                            e.isFio() ? String.format(Locale.ROOT, " (fio's own %.2f)", res.ownCpuMicrosPerOp()) : "", res.note());
                }
            }
        }

        System.out.println();
        System.out.println("# load after: " + loadAverage());
        System.out.println();
        System.out.println("| workload | engine | IOPS | MiB/s | p50 µs | p99 µs | p99.9 µs | CPU µs/IO | fio's own CPU µs/IO | vs fio IOPS | vs nio IOPS |");
        System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Workload w : workloads) {
            List<Result> fio = results.get(key(w, rows.get(w).stream().filter(Engine::isFio).findFirst().orElse(null)));
            List<Result> nio = results.get(w.name() + "/nio");
            for (Engine e : rows.get(w)) {
                List<Result> rs = results.get(key(w, e));
                if (rs == null) {
                    continue;
                }
                System.out.printf(Locale.ROOT, "| %s | %s | %.0f | %.1f | %.1f | %.1f | %.1f | %.2f | %s | %s | %s |%n",
                        w.name(), e.name(), median(rs, Result::iops), median(rs, Result::mibPerSecond),
                        median(rs, x -> x.p50Nanos() / 1e3), median(rs, x -> x.p99Nanos() / 1e3),
                        median(rs, x -> x.p999Nanos() / 1e3), median(rs, Result::cpuMicrosPerOp),
                        e.isFio() ? String.format(Locale.ROOT, "%.2f", median(rs, Result::ownCpuMicrosPerOp)) : "",
                        e.isFio() || fio == null ? "" : String.format(Locale.ROOT, "%.2fx", ratio(rs, fio)),
                        e.name().equals("nio") || nio == null || e.isFio() ? "" : String.format(Locale.ROOT, "%.2fx", ratio(rs, nio)));
            }
        }
        System.out.println();
        System.out.println("# ratios: the median over rounds of (engine IOPS / reference IOPS) within each round.");
        System.out.println("# CPU µs/IO: user + system time of the whole process over the measured window (/proc/<pid>/stat,"
                + " every thread including the kernel's io_uring workers), per operation; fio's own figure (usr + sys"
                + " of its job thread) is shown apart.");
        System.out.println("# fio: " + String.join(" ", FioRun.command(workloads.get(0), dir, warmup, seconds)));
        System.out.println("# Java runs: a JVM each, " + String.join(" ", JavaRun.JVM_OPTIONS));
    }

    private static String key(Workload w, Engine e) {
        return w.name() + "/" + (e == null ? "?" : e.name());
    }

    private static double median(List<Result> rs, ToDoubleFunction<Result> f) {
        double[] v = rs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The median of the per-round IOPS ratios. */
    private static double ratio(List<Result> rs, List<Result> ref) {
        int n = Math.min(rs.size(), ref.size());
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rs.get(i).iops() / ref.get(i).iops();
        }
        Arrays.sort(v);
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static String loadAverage() {
        try {
            return "loadavg " + Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "loadavg ?";
        }
    }

    /** The 1 GiB files, written once with real blocks (holes would read at memory speed). */
    private static void prepare(Path dir) throws IOException {
        for (String name : List.of(Workload.READ_FILE, Workload.WRITE_FILE)) {
            Path f = dir.resolve(name);
            if (Files.exists(f) && Files.size(f) == 1L << 30) {
                continue;
            }
            System.out.println("# writing " + f + " (1 GiB)");
            ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
            long x = 88172645463325252L;
            while (b.hasRemaining()) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                b.putLong(x);
            }
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                for (long off = 0; off < 1L << 30; off += 1 << 20) {
                    b.clear();
                    while (b.hasRemaining()) {
                        ch.write(b, off + b.position());
                    }
                }
                ch.force(true);
            }
        }
    }

    /** Reads the file through the page cache so a warm run finds it there. */
    private static void warmCache(Path f) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            long size = ch.size();
            for (long off = 0; off < size; off += b.capacity()) {
                b.clear();
                ch.read(b, off);
            }
        }
    }
}
