package dev.logcore.bench.log;

import dev.logcore.io.Availability;
import dev.logcore.io.DiskIoProvider;
import dev.logcore.io.DiskIoProviders;
import dev.logcore.log.Durability;
import dev.logcore.log.LogSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./logcore bench log}: the log's benchmark table (issue 5). Durable appends of 100-byte
 * records in several workloads, on every provider on the class path, beside Chronicle Queue synced
 * every N appends, the policy {@code none}, 8 partitions, a sequential fetch against fio, the
 * recovery scan, and the disk's ceilings: fio's fdatasync rate on the same disk and the SPI's
 * write+fdatasync rate one and four at a time. Rounds are interleaved; comparisons are medians of
 * per-round ratios. Each round also prints the load average: the machine may be shared. Not a
 * test: it prints figures and gates nothing.
 *
 * <pre>
 * java [JVM flags] -cp benchmarks/target/classes:benchmarks/target/lib/* dev.logcore.bench.log.LogBench [options]
 *   --quick              a smoke run: 1 round, 1 s per measurement, 64 MiB for fetch and recovery
 *   --rounds N           interleaved rounds (default 5)
 *   --seconds S          measured seconds per run (default 5; warm-up 1 s)
 *   --rate R             offered appends/s of the open loop (default 1000000)
 *   --dir DIR            where the logs go, on the disk under test (default target/log-bench)
 *   --providers a,b      only these providers (default every available one)
 *   --out FILE           also write the report (markdown) there
 * </pre>
 *
 * JVM flags the launcher must pass (Chronicle Queue on JDK 25, offline):
 * <pre>
 * --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Dchronicle.analytics.disable=true
 * --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
 * --add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED
 * --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
 * --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
 * --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
 * </pre>
 */
public final class LogBench {
    private LogBench() {
    }

    /** The JVM flags above, for launchers that build the command line. */
    public static final List<String> JVM_FLAGS = List.of("--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "-Dchronicle.analytics.disable=true",
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");

    /** Records per appendAll in the batched workload: about Kafka's default producer batch (16 KiB) of 100-byte records. */
    private static final int GROUP = 128;

    private static final class Options {
        boolean quick;
        int rounds = 5;
        double seconds = 5;
        double warmup = 1;
        long rate = 1_000_000;
        Path dir = Path.of("target", "log-bench");
        List<String> providers = List.of();
        Path out;
        int readBytes = 1 << 30;
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        System.exit(run(o));
    }

    private static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> {
                    o.quick = true;
                    o.rounds = 1;
                    o.seconds = 1;
                    o.warmup = 0.5;
                    o.readBytes = 64 << 20;
                }
                case "--rounds" -> o.rounds = Integer.parseInt(args[++i]);
                case "--seconds" -> o.seconds = Double.parseDouble(args[++i]);
                case "--rate" -> o.rate = Long.parseLong(args[++i]);
                case "--dir" -> o.dir = Path.of(args[++i]);
                case "--providers" -> o.providers = List.of(args[++i].split(","));
                case "--out" -> o.out = Path.of(args[++i]);
                case "--read-mib" -> o.readBytes = Integer.parseInt(args[++i]) << 20;
                case "--print-jvm-flags" -> { // for the launcher: the one list of flags this bench needs
                    System.out.println(String.join(" ", JVM_FLAGS));
                    System.exit(0);
                }
                case "--help", "-h" -> {
                    System.out.println("usage: bench log [--quick] [--rounds 5] [--seconds 5] [--rate 1000000] [--dir target/log-bench]"
                            + " [--providers a,b] [--out FILE] [--read-mib 1024]");
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown option " + a
                        + " (options: --quick --rounds N --seconds S --rate R --dir DIR --providers a,b --out FILE --read-mib M)");
            }
        }
        return o;
    }

    private static int run(Options o) throws Exception {
        List<DiskIoProvider> providers = new ArrayList<>();
        for (DiskIoProvider p : DiskIoProviders.discover()) {
            Availability a = DiskIoProviders.safeProbe(p);
            if (a.available() && (o.providers.isEmpty() || o.providers.contains(p.name()))) {
                providers.add(p);
            } else if (!a.available()) {
                System.out.println("provider " + p.name() + " unavailable: " + a.reason());
            }
        }
        if (providers.isEmpty()) {
            System.err.println("no DiskIo provider available");
            return 2;
        }
        DiskIoProvider best = providers.get(0); // most preferred: uring-jni when it is here
        Files.createDirectories(o.dir);
        String loadBefore = Bench.loadAverage();
        System.out.printf("log bench: %d round(s), %.1f s per run, providers %s, data in %s, load %s%n", o.rounds, o.seconds,
                providers.stream().map(DiskIoProvider::name).toList(), o.dir.toAbsolutePath(), loadBefore);

        LogSettings durable = LogSettings.defaults();
        LogSettings none = LogSettings.builder().durability(Durability.NONE).build();
        Map<String, List<Measurement>> byKey = new LinkedHashMap<>();
        List<Double> chronicleRatio = new ArrayList<>();
        List<Double> eightRatio = new ArrayList<>();
        List<Double> fetchRatio = new ArrayList<>();
        List<Double> fioFetch = new ArrayList<>();
        List<Double> fioSyncs = new ArrayList<>();
        List<Double> spiSync1 = new ArrayList<>();
        List<Double> spiSync4 = new ArrayList<>();

        Path fetchDir = o.dir.resolve("fetch");
        Path recoveryDir = o.dir.resolve("recovery");
        Bench.deleteTree(fetchDir);
        Bench.deleteTree(recoveryDir);
        System.out.println("preparing " + (o.readBytes >> 20) + " MiB for the fetch and the recovery runs...");
        Path segment = ReadLoads.prepareSealedSegment(best, fetchDir, o.readBytes);
        long tailBytes = ReadLoads.prepareUnsealedTail(best, recoveryDir, o.readBytes);
        int n = 0;
        for (int round = 1; round <= o.rounds; round++) {
            System.out.println("round " + round + " (load " + Bench.loadAverage() + ")");
            Map<String, Measurement> bestOpen = new LinkedHashMap<>();
            // Rotate which provider goes first: the first run of a round follows the previous
            // round's fetch, recovery and sync-rate runs, whose unsynced data is still being written back.
            List<DiskIoProvider> order = new ArrayList<>(providers);
            java.util.Collections.rotate(order, -(round - 1));
            for (DiskIoProvider p : order) {
                Measurement m = AppendLoads.openLoop("durable, 1 partition, open loop", p, o.dir.resolve("run" + n++), durable, 1,
                        o.rate, 1024, o.warmup, o.seconds);
                add(byKey, m);
                bestOpen.put(p.name(), m);
                add(byKey, AppendLoads.closedLoop("durable, 1 partition, 64 producers", p, o.dir.resolve("run" + n++), durable, 64,
                        o.warmup, o.seconds));
            }
            Measurement one = bestOpen.get(best.name());
            int syncEvery = (int) Math.max(1, Math.round(one.recordsPerSync()));
            Measurement cq = ChronicleBaseline.run(o.dir.resolve("run" + n++), syncEvery, o.warmup, o.seconds);
            add(byKey, cq);
            chronicleRatio.add(one.recordsPerSecond() / cq.recordsPerSecond());
            add(byKey, AppendLoads.window("policy none, 1 partition, append", best, o.dir.resolve("run" + n++), none, 16384, 1,
                    o.warmup, o.seconds));
            add(byKey, AppendLoads.window("policy none, 1 partition, appendAll of " + GROUP, best, o.dir.resolve("run" + n++), none,
                    16384, GROUP, o.warmup, o.seconds));
            Measurement eight = AppendLoads.openLoop("durable, 8 partitions, open loop", best, o.dir.resolve("run" + n++), durable, 8,
                    o.rate, 1024, o.warmup, o.seconds);
            add(byKey, eight);
            eightRatio.add(eight.recordsPerSecond() / one.recordsPerSecond());
            // fio and LogCore read the same (warm) file; alternate which goes first.
            double fio;
            Measurement fetch;
            if (round % 2 == 1) {
                fio = ReadLoads.fioSequentialRead(segment);
                fetch = ReadLoads.fetch(best, fetchDir, segment, 1 << 20);
            } else {
                fetch = ReadLoads.fetch(best, fetchDir, segment, 1 << 20);
                fio = ReadLoads.fioSequentialRead(segment);
            }
            add(byKey, fetch);
            fioFetch.add(fio);
            fetchRatio.add(fetch.bytes() / fetch.seconds() / fio);
            add(byKey, ReadLoads.recovery(best, recoveryDir, tailBytes));
            fioSyncs.add(fioFdatasyncRate(o));
            spiSync1.add(SyncRate.opsPerSecond(best, o.dir.resolve("spi-sync"), 1, 64 << 10, Math.min(o.seconds, 3)));
            spiSync4.add(SyncRate.opsPerSecond(best, o.dir.resolve("spi-sync"), 4, 64 << 10, Math.min(o.seconds, 3)));
        }
        Bench.deleteTree(fetchDir);
        Bench.deleteTree(recoveryDir);
        String report = report(o, providers, byKey, chronicleRatio, eightRatio, fetchRatio, fioFetch, fioSyncs, spiSync1, spiSync4,
                loadBefore);
        System.out.println(report);
        if (o.out != null) {
            Files.writeString(o.out, report, StandardCharsets.UTF_8);
        }
        return 0;
    }

    private static double fioFdatasyncRate(Options o) throws IOException, InterruptedException {
        Path f = o.dir.resolve("fio-fdatasync");
        Files.deleteIfExists(f);
        String json = Bench.fio(List.of("--name=fdatasync", "--filename=" + f, "--rw=write", "--bs=4k", "--fdatasync=1",
                "--size=256m", "--time_based", "--runtime=" + Math.max(1, (int) o.seconds) + "s", "--ioengine=psync"));
        Files.deleteIfExists(f);
        // With --fdatasync=1 every write is followed by one fdatasync: syncs/s = writes/s.
        return Bench.number(json, "write", "total_ios") / Math.max(1e-9, Bench.number(json, "write", "runtime") / 1000.0);
    }

    private static void add(Map<String, List<Measurement>> byKey, Measurement m) {
        byKey.computeIfAbsent(m.workload() + "|" + m.provider(), k -> new ArrayList<>()).add(m);
        System.out.printf(Locale.ROOT, "  %-40s %-10s %12.0f rec/s  %8.0f syncs/s  %7.1f rec/sync  p99 %s%n", m.workload(), m.provider(),
                m.recordsPerSecond(), m.syncsPerSecond(), m.recordsPerSync(), fmtMs(m.latencyMillis(99)));
    }

    private static String fmtMs(double ms) {
        return Double.isNaN(ms) ? "-" : String.format(Locale.ROOT, "%.2f ms", ms);
    }

    private static double med(List<Measurement> ms, java.util.function.ToDoubleFunction<Measurement> f) {
        return Bench.median(ms.stream().map(f::applyAsDouble).toList());
    }

    private static String report(Options o, List<DiskIoProvider> providers, Map<String, List<Measurement>> byKey,
                                 List<Double> chronicleRatio, List<Double> eightRatio, List<Double> fetchRatio, List<Double> fioFetch,
                                 List<Double> fioSyncs, List<Double> spiSync1, List<Double> spiSync4, String loadBefore) {
        StringBuilder sb = new StringBuilder();
        PrintStream ps = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                sb.append((char) b);
            }
        }, true, StandardCharsets.UTF_8);
        ps.printf(Locale.ROOT, "%n## Log benchmark (%s)%n%n", o.quick ? "quick smoke run: not for quoting" : o.rounds + " interleaved rounds");
        ps.printf(Locale.ROOT, "%d round(s) x %.0f s per run after %.1f s warm-up; 100-byte records; offered rate %d/s; "
                + "load average %s before, %s after; medians over rounds.%n%n", o.rounds, o.seconds, o.warmup, o.rate, loadBefore,
                Bench.loadAverage());
        ps.println("| workload | provider | records/s | fsyncs/s | records/fsync | bytes/fsync | ack p50 | ack p99 | ack p99.9 | write+fdatasync p50 / p99 (engine) |");
        ps.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Map.Entry<String, List<Measurement>> e : byKey.entrySet()) {
            List<Measurement> ms = e.getValue();
            Measurement first = ms.get(0);
            ps.printf(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %.1f | %,.0f | %s | %s | %s | %s |%n", first.workload(), first.provider(),
                    med(ms, Measurement::recordsPerSecond), med(ms, Measurement::syncsPerSecond), med(ms, Measurement::recordsPerSync),
                    med(ms, Measurement::bytesPerSync), fmtMs(med(ms, m -> m.latencyMillis(50))), fmtMs(med(ms, m -> m.latencyMillis(99))),
                    fmtMs(med(ms, m -> m.latencyMillis(99.9))),
                    Double.isNaN(med(ms, Measurement::engineP50Micros)) ? "-"
                            : String.format(Locale.ROOT, "%.0f / %.0f us", med(ms, Measurement::engineP50Micros),
                            med(ms, Measurement::engineP99Micros)));
        }
        ps.println();
        for (Map.Entry<String, List<Measurement>> e : byKey.entrySet()) {
            Measurement first = e.getValue().get(0);
            if (first.workload().startsWith("sequential fetch") || first.workload().startsWith("recovery")) {
                ps.printf(Locale.ROOT, "- %s (%s): %.2f GB/s (median; %s)%n", first.workload(), first.provider(),
                        med(e.getValue(), m -> m.bytes() / m.seconds() / 1e9), first.note());
            }
        }
        ps.printf(Locale.ROOT, "- fio sequential read of the same segment file: %.2f GB/s (median)%n", Bench.median(fioFetch) / 1e9);
        ps.printf(Locale.ROOT, "- sequential fetch / fio: %.2f (median of per-round ratios; target >= 0.80)%n", Bench.median(fetchRatio));
        ps.printf(Locale.ROOT, "- LogCore durable open loop (%s) / Chronicle Queue synced every N: %.2f (median of per-round ratios; target >= 1)%n",
                providers.get(0).name(), Bench.median(chronicleRatio));
        ps.printf(Locale.ROOT, "- 8 partitions / 1 partition (durable, open loop): %.2f (median of per-round ratios; target >= 1)%n",
                Bench.median(eightRatio));
        ps.printf(Locale.ROOT, "- fio fdatasync rate on the same disk (4 KiB write + fdatasync, psync): %,.0f per second (median)%n",
                Bench.median(fioSyncs));
        ps.printf(Locale.ROOT, "- SPI write (64 KiB) + fdatasync on %s: %,.0f per second one at a time, %,.0f four at a time (median)%n",
                providers.get(0).name(), Bench.median(spiSync1), Bench.median(spiSync4));
        ps.flush();
        return sb.toString();
    }
}
