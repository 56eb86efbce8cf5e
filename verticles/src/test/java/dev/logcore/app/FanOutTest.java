package dev.logcore.app;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.logcore.app.RawClient.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Concurrent publishers and subscribers spread over three event loops: every subscriber receives
 * every message exactly once, each publisher's messages in order, and every PUBLISH counts the
 * receivers on all loops.
 */
@Timeout(120)
class FanOutTest {

    @ParameterizedTest(name = "transport {0}")
    @ValueSource(strings = {"io_uring", "nio"})
    void everyMessageReachesEverySubscriberInPublisherOrder(String transport) throws Exception {
        int publishers = 4;
        int subscribers = 9;
        int perPublisher = 3000;
        try (TestServer server = TestServer.start(Map.of("event-loops", "3", "transport", transport))) {
            List<RawClient> subs = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) {
                RawClient s = new RawClient(server.port());
                s.send(i % 3 == 0 ? cmd("PSUBSCRIBE", "fan*") : cmd("SUBSCRIBE", "fanout"));
                s.readReply();
                subs.add(s);
            }
            ExecutorService pool = Executors.newFixedThreadPool(publishers + subscribers);
            try {
                List<Future<?>> results = new ArrayList<>();
                for (int p = 0; p < publishers; p++) {
                    int id = p;
                    results.add(pool.submit(() -> {
                        try (RawClient pub = new RawClient(server.port())) {
                            for (int batch = 0; batch < perPublisher; batch += 10) {
                                ByteArrayOutputStream o = new ByteArrayOutputStream();
                                for (int k = batch; k < batch + 10; k++) {
                                    o.writeBytes(cmd("PUBLISH", "fanout", id + ":" + k));
                                }
                                pub.send(o.toByteArray());
                                for (int k = 0; k < 10; k++) {
                                    assertEquals(":" + subscribers + "\r\n", pub.readText());
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (RawClient s : subs) {
                    results.add(pool.submit(() -> {
                        int[] next = new int[publishers];
                        for (int n = 0; n < publishers * perPublisher; n++) {
                            String[] parts = payload(s.readText()).split(":");
                            int pub = Integer.parseInt(parts[0]);
                            assertEquals(next[pub], Integer.parseInt(parts[1]), "publisher " + pub + "'s messages in order");
                            next[pub]++;
                        }
                        return null;
                    }));
                }
                for (Future<?> f : results) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            for (RawClient s : subs) {
                s.send(cmd("PING", "end"));
                String last = s.readText();
                assertEquals("*2\r\n$4\r\npong\r\n$3\r\nend\r\n", last, "nothing more than expected");
                s.close();
            }
        }
    }

    /** The last bulk string of a message or pmessage push. */
    private static String payload(String push) throws IOException {
        String[] lines = push.split("\r\n");
        if (!lines[2].equals("message") && !lines[2].equals("pmessage")) {
            throw new IOException("not a message: " + push);
        }
        return new String(lines[lines.length - 1].getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
