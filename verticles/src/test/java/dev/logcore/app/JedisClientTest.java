package dev.logcore.app;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Jedis (from Maven Central, written by nobody here) against the server, unchanged. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class JedisClientTest {
    private TestServer server;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** Records what a subscriber sees. */
    private static final class Recorder extends JedisPubSub {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        final CountDownLatch subscribed = new CountDownLatch(1);

        @Override
        public void onMessage(String channel, String message) {
            events.add("message " + channel + " " + message);
        }

        @Override
        public void onPMessage(String pattern, String channel, String message) {
            events.add("pmessage " + pattern + " " + channel + " " + message);
        }

        @Override
        public void onSubscribe(String channel, int count) {
            events.add("subscribe " + channel + " " + count);
            subscribed.countDown();
        }

        @Override
        public void onPSubscribe(String pattern, int count) {
            events.add("psubscribe " + pattern + " " + count);
        }

        @Override
        public void onUnsubscribe(String channel, int count) {
            events.add("unsubscribe " + channel + " " + count);
        }

        @Override
        public void onPUnsubscribe(String pattern, int count) {
            events.add("punsubscribe " + pattern + " " + count);
        }

        @Override
        public void onPong(String pattern) {
            events.add("pong " + pattern);
        }

        String next() throws InterruptedException {
            String e = events.poll(10, TimeUnit.SECONDS);
            assertNotNull(e, "no event within 10 s");
            return e;
        }
    }

    @Test
    void subscribePublishPatternsPingUnsubscribe() throws Exception {
        Recorder rec = new Recorder();
        Thread t = Thread.ofPlatform().daemon().start(() -> {
            try (Jedis sub = new Jedis("127.0.0.1", server.port())) {
                sub.subscribe(rec, "news", "sports");
            }
        });
        assertTrue(rec.subscribed.await(10, TimeUnit.SECONDS));
        assertEquals("subscribe news 1", rec.next());
        assertEquals("subscribe sports 2", rec.next());
        rec.psubscribe("n*");
        assertEquals("psubscribe n* 3", rec.next());

        try (Jedis pub = new Jedis("127.0.0.1", server.port())) {
            assertEquals("PONG", pub.ping());
            assertEquals(2, pub.publish("news", "hello"));
            assertEquals("message news hello", rec.next());
            assertEquals("pmessage n* news hello", rec.next());
            assertEquals(1, pub.publish("sports", "goal"));
            assertEquals("message sports goal", rec.next());
            assertEquals(1, pub.publish("nothing", "x"));
            assertEquals("pmessage n* nothing x", rec.next());
            assertEquals(0, pub.publish("other", "x"));
            assertEquals(List.of("news"), pub.pubsubChannels("ne*"));
            assertEquals(1L, pub.pubsubNumPat());
            assertEquals(Long.valueOf(1), pub.pubsubNumSub("news").get("news"));

            rec.ping();
            assertEquals("pong ", rec.next());
            rec.ping("are you there");
            assertEquals("pong are you there", rec.next());

            rec.punsubscribe();
            assertEquals("punsubscribe n* 2", rec.next());
            rec.unsubscribe("news");
            assertEquals("unsubscribe news 1", rec.next());
            assertEquals(0, pub.publish("news", "gone"));
            rec.unsubscribe(); // no argument: every channel (Jedis relies on it to end subscribe())
            assertEquals("unsubscribe sports 0", rec.next());
        }
        t.join(10_000);
        assertTrue(!t.isAlive(), "subscribe() returns once nothing is subscribed");
    }

    @Test
    void pipelinedPublishesAndPings() throws Exception {
        Recorder rec = new Recorder();
        Thread t = Thread.ofPlatform().daemon().start(() -> {
            try (Jedis sub = new Jedis("127.0.0.1", server.port())) {
                sub.subscribe(rec, "pipe");
            }
        });
        assertTrue(rec.subscribed.await(10, TimeUnit.SECONDS));
        rec.next();
        try (Jedis pub = new Jedis("127.0.0.1", server.port())) {
            Pipeline p = pub.pipelined();
            List<Response<Long>> counts = new ArrayList<>();
            List<Response<Object>> pongs = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                counts.add(p.publish("pipe", "m" + i));
                if (i % 100 == 0) {
                    pongs.add(p.sendCommand(Protocol.Command.PING, new String[0]));
                }
            }
            p.sync();
            for (Response<Long> r : counts) {
                assertEquals(1L, r.get());
            }
            for (Response<Object> r : pongs) {
                assertEquals("PONG", new String((byte[]) r.get(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            got.add(rec.next());
        }
        for (int i = 0; i < 5000; i++) {
            assertEquals("message pipe m" + i, got.get(i), "in order");
        }
        rec.unsubscribe();
        t.join(10_000);
        assertTrue(!t.isAlive());
    }
}
