package dev.logcore.app;

import dev.logcore.app.config.Setting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.logcore.app.RawClient.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server as a process: the command line, its settings sources, signals and exit statuses. */
@Timeout(120)
class ServerProcessTest {

    @TempDir
    Path dir;

    @Test
    void helpListsEverySettingWithItsDefault() throws Exception {
        try (ServerProcess p = ServerProcess.start(dir, Map.of(), List.of(), List.of("serve", "--help"))) {
            assertEquals(0, p.awaitExit(30));
            String out = String.join("\n", p.allStdout());
            for (Setting s : Setting.values()) {
                assertTrue(out.contains(s.flag() + " VALUE"), s.flag());
                assertTrue(out.contains(s.envName()), s.envName());
                assertTrue(out.contains("default: " + s.defaultValue()), s.key() + " default");
            }
            assertTrue(out.contains("6380") && out.contains("8080") && out.contains("127.0.0.1"));
            assertTrue(out.contains("redis-cli -p 6380"));
            assertEquals(List.of(), p.stderr());
        }
    }

    private static void assertOneErrorLine(ServerProcess p, String mustContain) throws InterruptedException {
        assertEquals(2, p.awaitExit(60), "exit status; stdout " + p.allStdout() + " stderr " + p.stderr());
        List<String> err = p.stderr();
        assertEquals(1, err.size(), "one line on stderr: " + err);
        assertTrue(err.get(0).contains(mustContain), err.get(0));
    }

    @Test
    void anUnknownBackendFailsWithOneLineAndStatus2() throws Exception {
        try (ServerProcess p = ServerProcess.start(dir, Map.of(), List.of(),
                List.of("serve", "--backend", "no-such-backend", "--port", "0", "--http-port", "0"))) {
            assertOneErrorLine(p, "no-such-backend");
        }
        assertFalse(Files.exists(dir.resolve("data/logcore.pid")), "nothing started");
    }

    @Test
    void anUnknownBackendFromTheEnvironmentToo() throws Exception {
        try (ServerProcess p = ServerProcess.start(dir, Map.of("LOGCORE_BACKEND", "floppy"), List.of(),
                List.of("serve", "--port", "0", "--http-port", "0"))) {
            assertOneErrorLine(p, "floppy");
        }
    }

    @Test
    void badFlagsAndValuesFailWithOneLineAndStatus2() throws Exception {
        try (ServerProcess p = ServerProcess.start(dir, Map.of(), List.of(), List.of("serve", "--no-such-flag", "1"))) {
            assertOneErrorLine(p, "--no-such-flag");
        }
        try (ServerProcess p = ServerProcess.start(dir, Map.of(), List.of(), List.of("serve", "--port", "http"))) {
            assertOneErrorLine(p, "port=http");
        }
        try (ServerProcess p = ServerProcess.start(dir, Map.of(), List.of(), List.of("serve", "--max-bulk-length", "12parsecs"))) {
            assertOneErrorLine(p, "max-bulk-length");
        }
        try (ServerProcess p = ServerProcess.start(dir, Map.of(), List.of(), List.of("serve", "--config", "missing.properties"))) {
            assertOneErrorLine(p, "missing.properties");
        }
        try (ServerProcess p = ServerProcess.start(dir, Map.of(), List.of(), List.of("serve", "--transport", "carrier-pigeon"))) {
            assertOneErrorLine(p, "transport");
        }
    }

    @Test
    void precedenceFlagThenEnvironmentThenSystemPropertyThenFile() throws Exception {
        Files.writeString(dir.resolve("logcore.properties"), """
                # read because it is in the working directory
                backend=nio
                port=1111
                http-port=2222
                event-loops=3
                max-connections=7
                diskio.maxInFlight=64
                """);
        Map<String, String> env = new HashMap<>(Map.of("LOGCORE_EVENT_LOOPS", "6", "LOGCORE_MAX_CONNECTIONS", "10"));
        List<String> jvm = List.of("-Dlogcore.http-port=4444", "-Dlogcore.event-loops=5", "-Dlogcore.max-connections=9");
        try (ServerProcess p = ServerProcess.start(dir, env, jvm, List.of("serve", "--print-config", "--max-connections", "11"))) {
            assertEquals(0, p.awaitExit(60), String.valueOf(p.stderr()));
            String out = String.join("\n", p.allStdout());
            assertTrue(out.contains("backend=nio    # config file key backend"), out);
            assertTrue(out.contains("port=1111    # config file logcore.properties key port"), out);
            assertTrue(out.contains("http-port=4444    # system property logcore.http-port"), out);
            assertTrue(out.contains("event-loops=6    # environment LOGCORE_EVENT_LOOPS"), out);
            assertTrue(out.contains("max-connections=11    # flag --max-connections"), out);
            assertTrue(out.contains("host=127.0.0.1    # default"), out);
            assertTrue(out.contains("diskio.maxInFlight=64"), out);
        }
    }

    /**
     * {@code serve} with no flags at all, in a working directory whose logcore.properties only moves
     * the ports off their defaults (other tests may hold 6380 and 8080): the data directory appears
     * under the working directory, and SIGTERM stops the server with status 0 in bounded time,
     * closing the clients' connections after what was pending.
     */
    @Test
    void serveWithNoFlagsThenSigtermExitsZero() throws Exception {
        Files.writeString(dir.resolve("logcore.properties"), "port=0\nhttp-port=0\n");
        try (ServerProcess p = ServerProcess.start(dir, Map.of(), List.of(), List.of("serve"))) {
            int port = p.awaitReady(60);
            assertTrue(Files.exists(dir.resolve("data/logcore.pid")), "the data directory is under the working directory");
            scrapeTwice(p.httpBase());
            try (RawClient sub = new RawClient(port); RawClient pub = new RawClient(port)) {
                sub.send(cmd("SUBSCRIBE", "bye"));
                sub.readReply();
                pub.send(cmd("PUBLISH", "bye", "last words"));
                assertEquals(":1\r\n", pub.readText());
                long t0 = System.nanoTime();
                p.signal("TERM");
                assertEquals(0, p.awaitExit(20), "exit status after SIGTERM; stdout " + p.allStdout());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms < 15_000, "stopped in " + ms + " ms");
                assertTrue(sub.readText().contains("last words"));
                assertTrue(sub.closedWithin(5000), "connections are closed");
            }
            assertTrue(String.join("\n", p.allStdout()).contains("SIGTERM received"));
            // A clean run logs no warning: e.g. vertx-micrometer-metrics re-registering its
            // per-connection gauges must not reach the log (Logging filters that known case).
            assertEquals(List.of(), p.allStdout().stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList());
            assertTrue(String.join("\n", p.allStdout()).contains("stopped"));
            assertEquals(List.of(), p.stderr());
            assertFalse(Files.exists(dir.resolve("data/logcore.pid")), "the pid file is removed at shutdown");
        }
    }

    /** Health and metrics, each twice on new connections (the second connection is what re-registers gauges). */
    private static void scrapeTwice(String base) throws Exception {
        for (int i = 0; i < 2; i++) {
            for (String path : List.of("/health", "/metrics")) {
                try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
                    java.net.http.HttpResponse<String> r = http.send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode(), path + ": " + r.body());
                }
            }
        }
    }

    @Test
    void aSubscriberThatNeverReadsDoesNotHoldUpShutdown() throws Exception {
        try (ServerProcess p = ServerProcess.start(dir, Map.of(), List.of(),
                List.of("serve", "--port", "0", "--http-port", "-1", "--backend", "nio", "--shutdown-timeout-ms", "1000"))) {
            int port = p.awaitReady(60);
            java.net.Socket stuck = new java.net.Socket();
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            stuck.getOutputStream().write(cmd("SUBSCRIBE", "stuck"));
            Thread.sleep(200);
            try (RawClient pub = new RawClient(port)) {
                byte[] payload = new byte[10_000];
                for (int i = 0; i < 800; i++) {
                    pub.send(cmd("PUBLISH".getBytes(), "stuck".getBytes(), payload));
                    assertEquals(":1\r\n", pub.readText());
                }
            }
            long t0 = System.nanoTime();
            p.signal("TERM");
            assertEquals(0, p.awaitExit(20));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 10_000, "bounded by shutdown-timeout-ms: " + ms + " ms");
            stuck.setSoTimeout(10_000);
            stuck.setReceiveBufferSize(1 << 20);
            try {
                stuck.getInputStream().readAllBytes(); // what the kernel still had, then the end
            } catch (java.net.SocketException reset) {
                // closed with data unsent: a reset is the right ending too
            }
            stuck.close();
        }
    }

    @Test
    void sigintExitsZeroToo() throws Exception {
        try (ServerProcess p = ServerProcess.start(dir, Map.of(), List.of(),
                List.of("serve", "--port", "0", "--http-port", "-1", "--backend", "nio"))) {
            p.awaitReady(60);
            p.signal("INT");
            assertEquals(0, p.awaitExit(20));
        }
    }

    @Test
    void aSecondServerCannotUseTheSameDataDirectory() throws Exception {
        try (ServerProcess first = ServerProcess.start(dir, Map.of(), List.of(),
                List.of("serve", "--port", "0", "--http-port", "-1", "--backend", "nio"))) {
            first.awaitReady(60);
            try (ServerProcess second = ServerProcess.start(dir, Map.of(), List.of(),
                    List.of("serve", "--port", "0", "--http-port", "-1", "--backend", "nio"))) {
                assertEquals(1, second.awaitExit(60));
                assertEquals(1, second.stderr().size(), String.valueOf(second.stderr()));
                assertTrue(second.stderr().get(0).contains("in use"), second.stderr().get(0));
            }
            first.signal("TERM");
            assertEquals(0, first.awaitExit(20));
        }
    }
}
