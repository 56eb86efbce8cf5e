package dev.logcore.app;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Redis tools the compatibility tests run against. When a tool is missing the test is
 * skipped, unless the system property {@code logcore.require.redis=true} is set (the project's
 * test command sets it): then it fails, so a missing redis-server can never pass for a success.
 */
public final class RedisTools {
    private RedisTools() {
    }

    /** The path of {@code tool} (redis-server, redis-cli, redis-benchmark), failing or skipping if absent. */
    public static String require(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        String msg = tool + " is not installed (Debian: apt-get install redis-server redis-tools)";
        if (Boolean.getBoolean("logcore.require.redis")) {
            Assertions.fail(msg + ", and logcore.require.redis=true requires it");
        }
        Assumptions.abort(msg + "; set -Dlogcore.require.redis=true to make this a failure");
        return null;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A redis-server on a free loopback port, without persistence; stopped by close(). */
    public static final class RedisServer implements AutoCloseable {
        private final Process process;
        private final int port;

        public RedisServer() throws Exception {
            String bin = require("redis-server");
            port = freePort();
            Path log = Files.createTempFile("verticles-redis-", ".log");
            process = new ProcessBuilder(List.of(bin, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "no"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try (RawClient c = new RawClient(port)) {
                    c.send(RawClient.cmd("PING"));
                    if (c.readText().equals("+PONG\r\n")) {
                        break;
                    }
                } catch (IOException e) {
                    if (System.nanoTime() > deadline || !process.isAlive()) {
                        process.destroyForcibly();
                        throw new IOException("redis-server did not start on port " + port + ": " + Files.readString(log), e);
                    }
                    Thread.sleep(50);
                }
            }
            Files.deleteIfExists(log);
        }

        public int port() {
            return port;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
