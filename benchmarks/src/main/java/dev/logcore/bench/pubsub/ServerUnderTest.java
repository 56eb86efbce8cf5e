package dev.logcore.bench.pubsub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A server process the comparison runs against: redis-server, or LogCore with N event loops. */
final class ServerUnderTest implements AutoCloseable {
    final String name;
    final int port;
    final Process process;
    private final Path workDir;

    private ServerUnderTest(String name, int port, Process process, Path workDir) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.workDir = workDir;
    }

    long pid() {
        return process.pid();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** redis-server without persistence, as the issue asks: --save '' --appendonly no. */
    static ServerUnderTest redis(String binary) throws Exception {
        int port = freePort();
        Path dir = Files.createTempDirectory("pubsub-bench-redis-");
        Process p = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--daemonize", "no", "--protected-mode", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        return ready(new ServerUnderTest("redis", port, p, dir));
    }

    /** LogCore started as the launcher starts it, from this JVM's class path. */
    static ServerUnderTest logcore(int eventLoops, List<String> jvmFlags) throws Exception {
        int port = freePort();
        Path dir = Files.createTempDirectory("pubsub-bench-logcore-");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.logcore.app.Main", "serve",
                "--port", Integer.toString(port), "--http-port", "-1", "--event-loops", Integer.toString(eventLoops),
                "--data-dir", dir.resolve("data").toString(), "--log-level", "warn"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("logcore.log").toFile()).start();
        return ready(new ServerUnderTest("logcore-" + eventLoops + "loop" + (eventLoops == 1 ? "" : "s"), port, p, dir));
    }

    private static ServerUnderTest ready(ServerUnderTest s) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket c = new Socket()) {
                c.connect(new InetSocketAddress("127.0.0.1", s.port), 1000);
                OutputStream out = c.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = c.getInputStream();
                byte[] b = in.readNBytes(7);
                if (new String(b, StandardCharsets.US_ASCII).equals("+PONG\r\n")) {
                    return s;
                }
            } catch (IOException e) {
                if (!s.process.isAlive() || System.nanoTime() > deadline) {
                    String log = s.log();
                    s.close();
                    throw new IOException(s.name + " did not start: " + log, e);
                }
                Thread.sleep(100);
            }
        }
    }

    String log() {
        try (var files = Files.list(workDir)) {
            StringBuilder sb = new StringBuilder();
            for (Path f : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                sb.append(Files.readString(f));
            }
            return sb.toString();
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var walk = Files.walk(workDir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // temp files left behind are harmless
        }
    }
}
