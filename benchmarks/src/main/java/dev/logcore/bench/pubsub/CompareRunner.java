package dev.logcore.bench.pubsub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Redis against LogCore, back to back: starts redis-server (--save '' --appendonly no), LogCore with
 * one event loop and LogCore with two, warms the JVMs up, then runs every workload in interleaved
 * rounds (the order flips every round) with the same client and load, and judges by the median of
 * the per-round ratios, because this machine's timings vary up to 2x from one minute to the next.
 */
final class CompareRunner {

    /** What a workload measures and how a higher or lower figure compares. */
    enum Kind { REQUESTS, DELIVERIES, FIXED_RATE }

    record Workload(String name, String title, Kind kind, List<String> redisBenchmarkArgs, LoadOptions load) {
    }

    /** One server's figures in one run of a workload. */
    record Figures(double throughput, double p50, double p99, double cores, double cpuNanosPerMessage, long lost, long disconnects) {
    }

    static List<Workload> workloads(double seconds, double warmup, int threads) {
        LoadOptions fanout = new LoadOptions("127.0.0.1", 0, 4, 16, 1, 64, 1, 0, warmup, seconds, threads, 0);
        LoadOptions sixteen = new LoadOptions("127.0.0.1", 0, 16, 64, 16, 64, 1, 0, warmup, seconds, threads, 0);
        LoadOptions p16 = withPipeline(fanout, 16);
        return List.of(
                new Workload("publish-P1", "redis-benchmark -c 50 -P 1 PUBLISH ch hello (req/s)", Kind.REQUESTS,
                        List.of("-c", "50", "-n", "400000", "-P", "1", "PUBLISH", "ch", "hello"), null),
                new Workload("publish-P16", "redis-benchmark -c 50 -P 16 PUBLISH ch hello (req/s)", Kind.REQUESTS,
                        List.of("-c", "50", "-n", "4000000", "-P", "16", "PUBLISH", "ch", "hello"), null),
                new Workload("fanout", "fan-out 4 pub -> 16 sub, 1 channel, 64 B, no pipelining (delivered/s)", Kind.DELIVERIES, null, fanout),
                new Workload("fanout-P16", "fan-out 4 pub -> 16 sub, 16 PUBLISH per flush (delivered/s)", Kind.DELIVERIES, null, p16),
                new Workload("16x16x4", "16 pub, 16 channels x 4 sub, no pipelining (delivered/s)", Kind.DELIVERIES, null, sixteen),
                new Workload("16x16x4-P16", "16 pub, 16 channels x 4 sub, 16 PUBLISH per flush (delivered/s)", Kind.DELIVERIES, null,
                        withPipeline(sixteen, 16)),
                // One client event loop at the fixed rate, whatever --threads says: 160k deliveries/s
                // leave it idle most of the time, and a second client loop on a 2-CPU machine only
                // adds run-queue waits to the tail it is there to measure (Redis's and ours alike).
                new Workload("fixed-160k", "fixed 10k publish/s x 16 sub = 160k deliveries/s (p99 latency, CPU)", Kind.FIXED_RATE, null,
                        new LoadOptions("127.0.0.1", 0, 4, 16, 1, 64, 1, 10_000, warmup, seconds, 1, 0)));
    }

    private static LoadOptions withPipeline(LoadOptions o, int pipeline) {
        return new LoadOptions(o.host(), o.port(), o.publishers(), o.subscribers(), o.channels(), o.size(), pipeline, o.rate(),
                o.warmupSeconds(), o.seconds(), o.threads(), o.serverPid());
    }

    private final int rounds;
    private final List<Workload> workloads;
    private final String redisServer;
    private final String redisBenchmark;
    private final List<String> jvmFlags;
    private final Path report;

    CompareRunner(int rounds, List<Workload> workloads, String redisServer, String redisBenchmark, List<String> jvmFlags, Path report) {
        this.rounds = rounds;
        this.workloads = workloads;
        this.redisServer = redisServer;
        this.redisBenchmark = redisBenchmark;
        this.jvmFlags = jvmFlags;
        this.report = report;
    }

    private Figures runOnce(Workload w, ServerUnderTest s) throws Exception {
        if (w.kind() == Kind.REQUESTS) {
            double cpu0 = ProcCpu.seconds(s.pid());
            double rps = RedisBenchmarkRun.rps(redisBenchmark, s.port, w.redisBenchmarkArgs());
            double cpu = ProcCpu.seconds(s.pid()) - cpu0;
            long n = Long.parseLong(w.redisBenchmarkArgs().get(w.redisBenchmarkArgs().indexOf("-n") + 1));
            return new Figures(rps, 0, 0, -1, cpu * 1e9 / n, 0, 0);
        }
        LoadResult r = LoadGenerator.run(w.load().withPort(s.port, s.pid()));
        return new Figures(r.deliveredPerSecond(), r.p50Micros(), r.p99Micros(), r.serverCores(),
                r.serverCores() * 1e9 / r.deliveredPerSecond(), r.lost(), r.disconnects());
    }

    static String uptime() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    void run() throws Exception {
        long t0 = System.nanoTime();
        StringBuilder out = new StringBuilder();
        String header = "pub/sub comparison, " + Instant.now() + ", " + Runtime.getRuntime().availableProcessors()
                + " CPUs, load average at start " + uptime();
        System.out.println(header);
        out.append("<!-- ").append(header).append(" -->\n");
        try (ServerUnderTest redis = ServerUnderTest.redis(redisServer);
             ServerUnderTest one = ServerUnderTest.logcore(1, jvmFlags);
             ServerUnderTest two = ServerUnderTest.logcore(2, jvmFlags)) {
            List<ServerUnderTest> servers = List.of(redis, one, two);
            System.out.println("servers: redis pid " + redis.pid() + " port " + redis.port + ", " + one.name + " pid " + one.pid()
                    + ", " + two.name + " pid " + two.pid());
            System.out.println("JVM warm-up: every workload once against each LogCore");
            for (Workload w : workloads) {
                Workload shortW = w.load() == null ? w : new Workload(w.name(), w.title(), w.kind(), null, w.load().withTimes(1, 2));
                runOnce(shortW, one);
                runOnce(shortW, two);
            }
            out.append("| workload | Redis (median) | LogCore 1 loop (median) | ratio 1 loop (median of rounds) | LogCore 2 loops (median) | ratio 2 loops (median of rounds) | lost / disconnects |\n");
            out.append("| --- | --- | --- | --- | --- | --- | --- |\n");
            StringBuilder cpuTable = new StringBuilder("\nServer CPU time per message (user + system from /proc; lower is better; ratio = Redis / LogCore):\n\n"
                    + "| workload | Redis | LogCore 1 loop | ratio | LogCore 2 loops | ratio |\n| --- | --- | --- | --- | --- | --- |\n");
            for (Workload w : workloads) {
                Map<String, List<Figures>> figures = new LinkedHashMap<>();
                servers.forEach(s -> figures.put(s.name, new ArrayList<>()));
                for (int r = 0; r < rounds; r++) {
                    List<ServerUnderTest> order = new ArrayList<>(servers);
                    if (r % 2 == 1) {
                        java.util.Collections.reverse(order);
                    }
                    for (ServerUnderTest s : order) {
                        Figures f = runOnce(w, s);
                        figures.get(s.name).add(f);
                        System.out.printf(Locale.ROOT, "%-12s round %d %-16s %s%n", w.name(), r + 1, s.name, describe(w, f));
                    }
                }
                String line = summarize(w, figures.get(redis.name), figures.get(one.name), figures.get(two.name));
                System.out.println(line);
                out.append(line).append('\n');
                String cpu = String.format(Locale.ROOT, "| %s | %.0f ns | %.0f ns | %.2fx | %.0f ns | %.2fx |", w.name(),
                        median(figures.get(redis.name), Figures::cpuNanosPerMessage),
                        median(figures.get(one.name), Figures::cpuNanosPerMessage),
                        ratio(figures.get(redis.name), figures.get(one.name), Figures::cpuNanosPerMessage, true),
                        median(figures.get(two.name), Figures::cpuNanosPerMessage),
                        ratio(figures.get(redis.name), figures.get(two.name), Figures::cpuNanosPerMessage, true));
                System.out.println(cpu);
                cpuTable.append(cpu).append('\n');
            }
            out.append(cpuTable);
        }
        String footer = String.format(Locale.ROOT, "%d rounds, %.0f s in all, load average at end %s", rounds,
                (System.nanoTime() - t0) / 1e9, uptime());
        System.out.println(footer);
        out.append("<!-- ").append(footer).append(" -->\n");
        if (report != null) {
            Files.createDirectories(report.toAbsolutePath().getParent());
            Files.writeString(report, out.toString(), StandardCharsets.UTF_8);
            System.out.println("table written to " + report);
        }
    }

    private static String describe(Workload w, Figures f) {
        return switch (w.kind()) {
            case REQUESTS -> String.format(Locale.ROOT, "%,.0f req/s, server CPU %.0f ns/request", f.throughput(), f.cpuNanosPerMessage());
            case DELIVERIES -> String.format(Locale.ROOT, "%,.0f delivered/s, p50 %.0f us, p99 %.0f us, lost %d, disconnects %d",
                    f.throughput(), f.p50(), f.p99(), f.lost(), f.disconnects());
            case FIXED_RATE -> String.format(Locale.ROOT, "%,.0f delivered/s, p50 %.0f us, p99 %.0f us, CPU %.2f cores, lost %d, disconnects %d",
                    f.throughput(), f.p50(), f.p99(), f.cores(), f.lost(), f.disconnects());
        };
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static String summarize(Workload w, List<Figures> redis, List<Figures> one, List<Figures> two) {
        int n = redis.size();
        long lost = 0;
        long disc = 0;
        for (List<Figures> l : List.of(redis, one, two)) {
            for (Figures f : l) {
                lost += f.lost();
                disc += f.disconnects();
            }
        }
        if (w.kind() == Kind.FIXED_RATE) {
            // Latency and CPU: a ratio above 1 means LogCore is better (Redis's value / LogCore's).
            return String.format(Locale.ROOT, "| %s | p50 %.0f us, p99 %.0f us, %.2f cores | p50 %.0f us, p99 %.0f us, %.2f cores"
                            + " | p99 %.2fx, CPU %.2fx | p50 %.0f us, p99 %.0f us, %.2f cores | p99 %.2fx, CPU %.2fx | %d / %d |",
                    w.title(),
                    median(redis, Figures::p50), median(redis, Figures::p99), median(redis, Figures::cores),
                    median(one, Figures::p50), median(one, Figures::p99), median(one, Figures::cores),
                    ratio(redis, one, Figures::p99, true), ratio(redis, one, Figures::cores, true),
                    median(two, Figures::p50), median(two, Figures::p99), median(two, Figures::cores),
                    ratio(redis, two, Figures::p99, true), ratio(redis, two, Figures::cores, true), lost, disc);
        }
        return String.format(Locale.ROOT, "| %s | %s | %s | %.2fx | %s | %.2fx | %d / %d |", w.title(),
                fmt(median(redis, Figures::throughput), w.kind() == Kind.REQUESTS ? -1 : median(redis, Figures::p99)),
                fmt(median(one, Figures::throughput), w.kind() == Kind.REQUESTS ? -1 : median(one, Figures::p99)),
                ratio(redis, one, Figures::throughput, false),
                fmt(median(two, Figures::throughput), w.kind() == Kind.REQUESTS ? -1 : median(two, Figures::p99)),
                ratio(redis, two, Figures::throughput, false), lost, disc);
    }

    private static String fmt(double throughput, double p99) {
        String t = throughput >= 1e6 ? String.format(Locale.ROOT, "%.2fM", throughput / 1e6) : String.format(Locale.ROOT, "%.0fk", throughput / 1e3);
        return p99 < 0 ? t : t + String.format(Locale.ROOT, " (p99 %.0f us)", p99);
    }

    private static double median(List<Figures> l, java.util.function.ToDoubleFunction<Figures> f) {
        return median(l.stream().mapToDouble(f).toArray());
    }

    /** Median over rounds of LogCore/Redis (or Redis/LogCore when lower is better). */
    private static double ratio(List<Figures> redis, List<Figures> logcore, java.util.function.ToDoubleFunction<Figures> f, boolean lowerIsBetter) {
        double[] r = new double[redis.size()];
        for (int i = 0; i < r.length; i++) {
            double a = f.applyAsDouble(redis.get(i));
            double b = f.applyAsDouble(logcore.get(i));
            r[i] = lowerIsBetter ? a / b : b / a;
        }
        return median(r);
    }
}
