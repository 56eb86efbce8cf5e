package dev.logcore.app;

import dev.logcore.app.config.Settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The application started in the test JVM on free loopback ports, with a temporary data directory. */
public final class TestServer implements AutoCloseable {
    private final Application app;
    private final Path dataDir;

    private TestServer(Application app, Path dataDir) {
        this.app = app;
        this.dataDir = dataDir;
    }

    /** Starts with the defaults for tests (nio backend, 2 event loops) and {@code extra} on top. */
    public static TestServer start(Map<String, String> extra) throws Exception {
        Path dir = Files.createTempDirectory("verticles-test-");
        Map<String, String> m = new HashMap<>();
        m.put("port", "0");
        m.put("http-port", "0");
        m.put("data-dir", dir.resolve("data").toString());
        m.put("backend", "nio");
        m.put("event-loops", "2");
        m.put("shutdown-timeout-ms", "3000");
        m.putAll(extra);
        return new TestServer(Application.start(Settings.of(m)), dir);
    }

    public static TestServer start() throws Exception {
        return start(Map.of());
    }

    public int port() {
        return app.respPort();
    }

    public int httpPort() {
        return app.httpPort();
    }

    public Application app() {
        return app;
    }

    /** Disconnects for {@code reason}, all event loops together. */
    public long disconnects(dev.logcore.app.pubsub.DisconnectReason reason) {
        long n = 0;
        for (var h : app.registry().hubs()) {
            n += h.counters().disconnects(reason);
        }
        return n;
    }

    /** A per-loop counter ({@link dev.logcore.app.pubsub.LoopCounters}), all loops together. */
    public long counter(int which) {
        long n = 0;
        for (var h : app.registry().hubs()) {
            n += h.counters().get(which);
        }
        return n;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        app.stop();
        try (var walk = Files.walk(dataDir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // a temp dir left behind is harmless
        }
    }
}
