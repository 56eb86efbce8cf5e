package dev.logcore.bench.pubsub;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One redis-benchmark run (its custom-command form) and the requests per second it printed. */
final class RedisBenchmarkRun {
    private RedisBenchmarkRun() {
    }

    static double rps(String binary, int port, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(binary, "-h", "127.0.0.1", "-p", Integer.toString(port), "-q", "--csv"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("redis-benchmark did not finish in 300 s");
        }
        if (p.exitValue() != 0 || out.toLowerCase(java.util.Locale.ROOT).contains("error")) {
            throw new IllegalStateException("redis-benchmark failed (" + p.exitValue() + "): " + out);
        }
        for (String line : out.split("\n")) {
            String[] f = line.split(",");
            if (f.length >= 2 && f[0].startsWith("\"") && !f[0].equals("\"test\"")) {
                return Double.parseDouble(f[1].replace("\"", ""));
            }
        }
        throw new IllegalStateException("no result in redis-benchmark's output: " + out);
    }
}
