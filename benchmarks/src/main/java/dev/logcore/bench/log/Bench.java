package dev.logcore.bench.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Small helpers of the log benchmark: files, the load average, fio, medians. */
final class Bench {
    private Bench() {
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    /** The 1/5/15-minute load averages, as uptime prints them. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+", 4)[0] + " "
                    + Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[1] + " "
                    + Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.removeIf(d -> d.isNaN());
        if (s.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** Runs fio with these arguments and JSON output; returns the JSON. */
    static String fio(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("fio");
        cmd.addAll(args);
        cmd.add("--output-format=json");
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("fio failed (is it installed?): " + String.join(" ", cmd) + "\n" + json);
        }
        return json;
    }

    /** The first number after {@code "key" :} in the JSON text that follows {@code after}. */
    static double number(String json, String after, String key) {
        int from = 0;
        if (after != null) {
            // The object whose key is `after` ("write" also appears as a value: "rw" : "write").
            Matcher obj = Pattern.compile("\"" + Pattern.quote(after) + "\"\\s*:\\s*\\{").matcher(json);
            if (!obj.find()) {
                throw new IllegalArgumentException("no " + after + " in fio's output");
            }
            from = obj.start();
        }
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*([-0-9.eE+]+)").matcher(json);
        if (!m.find(from)) {
            throw new IllegalArgumentException("no " + key + " after " + after + " in fio's output");
        }
        return Double.parseDouble(m.group(1));
    }
}
