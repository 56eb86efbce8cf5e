package dev.logcore.bench.pubsub;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ./logcore bench pubsub}: the pub/sub benchmarks (not tests; nothing here gates a build).
 *
 * <pre>
 * PubSubBench [compare] [--rounds 5] [--seconds 4] [--warmup 1] [--threads 2] [--workloads a,b,...]
 *             [--jvm-flag FLAG]... [--report FILE]
 *     redis-server and LogCore (1 and 2 event loops) side by side, interleaved rounds, median ratios
 * PubSubBench load --port P [--publishers 4] [--subscribers 16] [--channels 1] [--size 64]
 *             [--pipeline 1] [--rate 0] [--warmup 2] [--seconds 5] [--threads 2] [--server-pid PID]
 *     one load against a running server (Redis or LogCore): delivered/s, lost, latency percentiles
 * </pre>
 */
public final class PubSubBench {
    private PubSubBench() {
    }

    public static void main(String[] args) throws Exception {
        // Vert.x, Netty and Micrometer log through java.util.logging, not through an SLF4J API that
        // has no provider here (it would print warnings).
        System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.JULLogDelegateFactory");
        io.netty.util.internal.logging.InternalLoggerFactory.setDefaultFactory(io.netty.util.internal.logging.JdkLoggerFactory.INSTANCE);
        List<String> a = new ArrayList<>(Arrays.asList(args));
        String mode = a.isEmpty() || a.get(0).startsWith("--") ? "compare" : a.remove(0);
        if (a.contains("--help") || a.contains("-h")) {
            mode = "help";
        }
        try {
            switch (mode) {
                case "load" -> {
                    LoadOptions o = LoadOptions.parse(a);
                    System.out.println("load: " + o.describe() + ", against " + o.host() + ":" + o.port());
                    LoadResult r = LoadGenerator.run(o);
                    System.out.println(r.format());
                    System.out.println(r.json());
                    System.exit(r.lost() == 0 && r.disconnects() == 0 ? 0 : 1);
                }
                case "compare" -> compare(a);
                case "help", "--help", "-h" -> usage();
                default -> {
                    System.err.println("pubsub bench: unknown mode '" + mode + "'");
                    usage();
                    System.exit(2);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("pubsub bench: " + e.getMessage());
            System.exit(2);
        }
        System.exit(0);
    }

    private static void usage() {
        System.out.println("""
                usage: bench pubsub [compare] [--rounds 5] [--seconds 4] [--warmup 1] [--threads 2]
                                    [--workloads publish-P1,publish-P16,fanout,fanout-P16,16x16x4,16x16x4-P16,fixed-160k]
                                    [--jvm-flag FLAG]... [--report FILE]
                       bench pubsub load --port P [--publishers 4] [--subscribers 16] [--channels 1] [--size 64]
                                    [--pipeline 1] [--rate 0] [--warmup 2] [--seconds 5] [--threads 2] [--server-pid PID]""");
    }

    private static void compare(List<String> a) throws Exception {
        int rounds = 5;
        double seconds = 4;
        double warmup = 1;
        int threads = 2;
        List<String> only = null;
        // As the launcher starts the server: without this flag Netty 4.2 on JDK 25 avoids
        // sun.misc.Unsafe and copies through ByteBuffers, noticeably slower.
        List<String> jvmFlags = new ArrayList<>(List.of("--sun-misc-unsafe-memory-access=allow"));
        Path report = Path.of("benchmarks", "target", "pubsub-report.md");
        for (int i = 0; i < a.size(); i += 2) {
            String k = a.get(i);
            if (i + 1 >= a.size()) {
                throw new IllegalArgumentException(k + " needs a value");
            }
            String v = a.get(i + 1);
            switch (k) {
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--seconds" -> seconds = Double.parseDouble(v);
                case "--warmup" -> warmup = Double.parseDouble(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--workloads" -> only = List.of(v.split(","));
                case "--jvm-flag" -> jvmFlags.add(v);
                case "--report" -> report = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + k);
            }
        }
        if (rounds < 5) {
            System.out.println("note: fewer than 5 rounds; the project's figures use at least 5");
        }
        List<CompareRunner.Workload> all = CompareRunner.workloads(seconds, warmup, threads);
        List<CompareRunner.Workload> chosen = new ArrayList<>();
        for (CompareRunner.Workload w : all) {
            if (only == null || only.contains(w.name())) {
                chosen.add(w);
            }
        }
        if (only != null && chosen.size() != only.size()) {
            throw new IllegalArgumentException("unknown workload in " + only + "; known: "
                    + all.stream().map(CompareRunner.Workload::name).toList());
        }
        new CompareRunner(rounds, chosen, tool("redis-server"), tool("redis-benchmark"), jvmFlags, report).run();
    }

    private static String tool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalArgumentException(name + " is not installed (Debian: apt-get install redis-server redis-tools)");
    }
}
