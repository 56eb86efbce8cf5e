package dev.logcore.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code dev.logcore.app.Main} in a JVM of its own, started the way the launcher starts it, with its
 * standard output and error collected line by line.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("ready: pub/sub \\(RESP\\) on [^ ]+:(\\d+)");
    private static final Pattern HTTP = Pattern.compile("HTTP on (http://[^ ]+:\\d+)");

    final Process process;
    final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    final List<String> stdoutSeen = new ArrayList<>();
    final List<String> stderr = new ArrayList<>();
    private final Thread errReader;

    private ServerProcess(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().start(() -> pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), stdout));
        errReader = Thread.ofPlatform().daemon().start(() -> {
            BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
            try {
                for (String l; (l = r.readLine()) != null; ) {
                    synchronized (stderr) {
                        stderr.add(l);
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
        });
    }

    private static void pump(BufferedReader r, BlockingQueue<String> q) {
        try {
            for (String l; (l = r.readLine()) != null; ) {
                q.add(l);
            }
        } catch (IOException ignored) {
            // process gone
        }
    }

    /** The command line the launcher uses: java, the native-access flag, the class path, Main. */
    static List<String> javaCommand(List<String> jvmFlags) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xmx256m");
        cmd.add("-XX:+UseSerialGC");
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(runtimeClassPath());
        cmd.add("dev.logcore.app.Main");
        return cmd;
    }

    /**
     * The test class path without the test-only client libraries (Jedis brings an SLF4J API with no
     * provider, which the launcher's class path, target/classes + target/lib, does not have).
     */
    static String runtimeClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> keep = new ArrayList<>();
        for (String e : cp.split(java.io.File.pathSeparator)) {
            String name = Path.of(e).getFileName().toString();
            if (!name.startsWith("slf4j-") && !name.startsWith("jedis-")) {
                keep.add(e);
            }
        }
        return String.join(java.io.File.pathSeparator, keep);
    }

    static ServerProcess start(Path workDir, Map<String, String> env, List<String> jvmFlags, List<String> args) throws IOException {
        List<String> cmd = javaCommand(jvmFlags);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LOGCORE_"));
        pb.environment().putAll(env);
        return new ServerProcess(pb.start());
    }

    /** Waits for the "ready" log line and returns the RESP port it names. */
    int awaitReady(long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String line = stdout.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                stdoutSeen.add(line);
                Matcher m = READY.matcher(line);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            } else if (!process.isAlive()) {
                break;
            }
        }
        throw new AssertionError("server not ready in " + seconds + " s; stdout " + stdoutSeen + " stderr " + stderr());
    }

    /** The HTTP base address the "ready" line names (after {@link #awaitReady}), e.g. http://127.0.0.1:8080. */
    String httpBase() {
        for (String line : stdoutSeen) {
            Matcher m = HTTP.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("no HTTP address in " + stdoutSeen);
    }

    /** Waits for the process to end; returns its exit status. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("process still running after " + seconds + " s; stdout " + allStdout());
        }
        errReader.join(5000);
        return process.exitValue();
    }

    List<String> allStdout() {
        stdout.drainTo(stdoutSeen);
        return stdoutSeen;
    }

    List<String> stderr() {
        synchronized (stderr) {
            return List.copyOf(stderr);
        }
    }

    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        kill.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
