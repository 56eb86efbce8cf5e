package dev.logcore.bench.disk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The physical reference: fio with its io_uring engine (default options) on the same file and
 * workload. IOPS, latency percentiles (--lat_percentiles: submission to completion) and fio's own
 * usr + sys CPU come from its JSON output; the CPU of fio's whole process tree is also read from
 * /proc over the measured window, like the Java runs', because fio's own figure is its job
 * thread's alone and leaves out the kernel's io_uring worker threads (where every fdatasync runs).
 */
final class FioRun {
    private FioRun() {
    }

    static List<String> command(Workload w, Path dir, double warmupSeconds, double measureSeconds) {
        Path file = dir.resolve(w.fileName());
        List<String> c = new ArrayList<>(List.of("fio", "--name=" + w.key(), "--filename=" + file, "--ioengine=io_uring",
                "--bs=" + w.blockSize(), "--iodepth=" + w.depth(), "--direct=" + (w.direct() ? 1 : 0), "--time_based",
                "--runtime=" + seconds(measureSeconds), "--ramp_time=" + seconds(warmupSeconds), "--lat_percentiles=1",
                "--percentile_list=50:99:99.9", "--output-format=json", "--numjobs=1", "--invalidate=" + (w.direct() ? 1 : 0)));
        switch (w.kind()) {
            case RANDOM_READ -> c.addAll(List.of("--rw=randread", "--size=1G", "--norandommap", "--randrepeat=0"));
            case APPEND_SYNC -> c.addAll(List.of("--rw=write", "--fdatasync=1", "--file_append=1", "--fallocate=none",
                    "--size=4G"));
            case SEQUENTIAL_WRITE -> c.addAll(List.of("--rw=write", "--size=1G"));
        }
        return c;
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%dms", Math.round(s * 1000));
    }

    static Result run(Workload w, Path dir, double warmupSeconds, double measureSeconds) throws IOException, InterruptedException {
        if (w.kind() == Workload.Kind.APPEND_SYNC) {
            Path f = dir.resolve(w.fileName());
            Files.deleteIfExists(f);
            Files.createFile(f); // appends start at an empty file, as the Java runs do
        }
        List<String> cmd = command(w, dir, warmupSeconds, measureSeconds);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        // fio's JSON comes at the end; read it on the side while /proc is sampled over the window.
        java.util.concurrent.CompletableFuture<String> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        // The whole fio process tree's CPU (its io_uring workers included) over most of the window.
        Thread.sleep(Math.round((warmupSeconds + 0.25) * 1000));
        long cpu0 = treeCpu(p);
        long t0 = System.nanoTime();
        Thread.sleep(Math.max(100, Math.round((measureSeconds - 0.5) * 1000)));
        long cpu1 = treeCpu(p);
        double sampled = (System.nanoTime() - t0) / 1e9;
        String json;
        try {
            json = out.get(Math.round(measureSeconds + warmupSeconds) + 120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            throw new IOException("fio did not finish: " + String.join(" ", cmd), e);
        }
        if (!p.waitFor(Math.round(measureSeconds + warmupSeconds) + 120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("fio failed: " + String.join(" ", cmd) + "\n" + json);
        }
        String dirKey = w.kind() == Workload.Kind.RANDOM_READ ? "read" : "write";
        String section = section(json, "\"" + dirKey + "\"");
        long ios = longField(section, "total_ios");
        long runtimeMs = longField(json, "job_runtime");
        double usr = doubleField(json, "usr_cpu");
        double sys = doubleField(json, "sys_cpu");
        String lat = section(section, "\"lat_ns\"");
        long p50 = percentile(lat, "50.000000");
        long p99 = percentile(lat, "99.000000");
        long p999 = percentile(lat, "99.900000");
        String note = "";
        if (w.kind() == Workload.Kind.APPEND_SYNC) {
            // fio times the write and the fdatasync apart; an append's latency is both.
            String sync = section(section(json, "\"sync\""), "\"lat_ns\"");
            p50 += percentile(sync, "50.000000");
            p99 += percentile(sync, "99.000000");
            p999 += percentile(sync, "99.900000");
            note = "latency = write + fdatasync percentiles added";
        }
        long ownCpuNanos = Math.round((usr + sys) / 100.0 * runtimeMs * 1_000_000L);
        // /proc was sampled over `sampled` seconds of the run: scale to fio's whole window.
        long cpuNanos = Math.round((cpu1 - cpu0) * (runtimeMs / 1000.0) / sampled);
        return new Result(ios, runtimeMs / 1000.0, w.blockSize(), p50, p99, p999, cpuNanos, ownCpuNanos, note);
    }

    private static long treeCpu(Process p) {
        long sum = ProcCpu.nanos(p.pid());
        for (ProcessHandle h : p.descendants().toList()) {
            sum += ProcCpu.nanos(h.pid());
        }
        return sum;
    }

    /** The JSON object that follows {@code key} (a small scanner: fio's output is regular). */
    static String section(String json, String key) {
        Matcher m = Pattern.compile(Pattern.quote(key) + "\\s*:\\s*\\{").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("fio output has no object " + key);
        }
        int open = m.end() - 1;
        int depth = 0;
        for (int i = open; i < json.length(); i++) {
            char ch = json.charAt(i);
            if (ch == '{') {
                depth++;
            } else if (ch == '}' && --depth == 0) {
                return json.substring(open, i + 1);
            }
        }
        throw new IllegalStateException("unbalanced fio output after " + key);
    }

    private static String raw(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*([-0-9.eE+]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("fio output has no " + key);
        }
        return m.group(1);
    }

    private static long longField(String json, String key) {
        return Math.round(Double.parseDouble(raw(json, key)));
    }

    private static double doubleField(String json, String key) {
        return Double.parseDouble(raw(json, key));
    }

    private static long percentile(String lat, String p) {
        return longField(section(lat, "\"percentile\""), p);
    }
}
