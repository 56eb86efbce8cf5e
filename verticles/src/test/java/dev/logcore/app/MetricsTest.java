package dev.logcore.app;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.logcore.app.RawClient.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /health and /metrics: the pub/sub counters, disconnects by reason, and the DiskIo engine's stats. */
@Timeout(60)
class MetricsTest {

    private static double metric(String body, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(body);
        assertTrue(m.find(), "no series " + series);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void healthAndPrometheusMetrics() throws Exception {
        try (TestServer server = TestServer.start(); HttpClient http = HttpClient.newHttpClient()) {
            try (RawClient sub = new RawClient(server.port()); RawClient pub = new RawClient(server.port())) {
                sub.send(cmd("SUBSCRIBE", "m1", "m2"));
                sub.readReplies(2);
                for (int i = 0; i < 10; i++) {
                    pub.send(cmd("PUBLISH", "m1", "hello"));
                    assertEquals(":1\r\n", pub.readText());
                }
                sub.readReplies(10);
                HttpResponse<String> h = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, h.statusCode());
                JsonObject health = new JsonObject(h.body());
                assertEquals("UP", health.getString("status"));
                assertEquals("nio", health.getString("backend"));
                assertEquals(2, health.getInteger("connections"));
                assertEquals(2, health.getInteger("channels"));
                assertTrue(health.getString("transport").equals("io_uring") || health.getString("transport").equals("nio"));

                String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertEquals(2.0, metric(body, "logcore_pubsub_connections"));
                assertEquals(2.0, metric(body, "logcore_pubsub_subscriptions"));
                assertEquals(2.0, metric(body, "logcore_pubsub_channels"));
                assertEquals(10.0, metric(body, "logcore_pubsub_messages_published_total"));
                assertEquals(10.0, metric(body, "logcore_pubsub_messages_delivered_total"));
                assertTrue(metric(body, "logcore_pubsub_received_bytes_total") > 0);
                assertTrue(metric(body, "logcore_pubsub_sent_bytes_total") > 0);
                assertEquals(1.0, metric(body, "logcore_diskio_info{provider=\"nio\"}"));
                assertEquals(1.0, metric(body, "logcore_diskio_operations_total{op=\"write_sync\"}"), "the pid file");
                assertTrue(body.contains("jvm_memory_used_bytes"), "Vert.x micrometer JVM metrics");
            }
            Thread.sleep(300);
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertEquals(2.0, metric(body, "logcore_pubsub_disconnects_total{reason=\"client_closed\"}"));
            assertEquals(0.0, metric(body, "logcore_pubsub_connections"));
            assertEquals(0.0, metric(body, "logcore_pubsub_subscriptions"));
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/nope")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }
}
