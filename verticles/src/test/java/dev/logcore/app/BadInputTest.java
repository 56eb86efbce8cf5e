package dev.logcore.app;

import dev.logcore.app.pubsub.DisconnectReason;
import dev.logcore.app.pubsub.LoopCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static dev.logcore.app.RawClient.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Malformed and hostile input: the server answers or closes the offending connection, stays up,
 * keeps serving everybody else, and holds no unbounded memory for anyone.
 */
@Timeout(120)
class BadInputTest {

    /** A subscriber and a publisher that must keep working while others misbehave. */
    private static void assertHealthy(TestServer server, String channel) throws IOException {
        try (RawClient sub = new RawClient(server.port()); RawClient pub = new RawClient(server.port())) {
            sub.send(cmd("SUBSCRIBE", channel));
            sub.readReply();
            pub.send(cmd("PUBLISH", channel, "still here"));
            assertEquals(":1\r\n", pub.readText());
            assertEquals("*3\r\n$7\r\nmessage\r\n$" + channel.length() + "\r\n" + channel + "\r\n$10\r\nstill here\r\n", sub.readText());
            pub.send("PING\r\n");
            assertEquals("+PONG\r\n", pub.readText());
        }
    }

    @Test
    void truncatedFramesAndBinaryGarbage() throws Exception {
        try (TestServer server = TestServer.start()) {
            Random rnd = new Random(1234);
            List<byte[]> evil = new ArrayList<>();
            evil.add(RawClient.latin1("*3\r\n$7\r\nPUBLISH\r\n$2\r\nch\r\n$5\r\nhe"));
            evil.add(RawClient.latin1("*3\r\n$7\r\nPUBLISH\r\n$2\r\nch"));
            evil.add(RawClient.latin1("*3\r\n$"));
            evil.add(RawClient.latin1("*"));
            evil.add(RawClient.latin1("SUBSCRIBE \"unterminated"));
            for (int i = 0; i < 40; i++) {
                byte[] g = new byte[1 + rnd.nextInt(100_000)];
                rnd.nextBytes(g);
                if (i % 4 == 0) {
                    g[0] = '*';
                }
                evil.add(g);
            }
            for (byte[] e : evil) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", server.port()));
                    OutputStream o = s.getOutputStream();
                    try {
                        o.write(e);
                        o.flush();
                    } catch (IOException closedOnUs) {
                        // the server may close a connection sending garbage before it has all of it
                    }
                }
            }
            assertHealthy(server, "after-garbage");
            assertTrue(server.disconnects(DisconnectReason.PROTOCOL_ERROR) > 0, "garbage is a protocol error");
        }
    }

    @Test
    void hugeDeclaredLengthsAllocateNothingUpFront() throws Exception {
        try (TestServer server = TestServer.start()) {
            try (RawClient c = new RawClient(server.port())) {
                c.send("*1\r\n$2147483647\r\n");
                assertEquals("-ERR Protocol error: invalid bulk length\r\n", c.readText());
                assertTrue(c.closedWithin(5000));
            }
            try (RawClient c = new RawClient(server.port())) {
                // 64 MB is allowed: the header alone must not make the server reserve it
                c.send("*3\r\n$7\r\nPUBLISH\r\n$2\r\nch\r\n$" + (64 << 20) + "\r\nabc");
                assertTrue(!c.hasDataWithin(300));
            }
            try (RawClient c = new RawClient(server.port())) {
                c.send("*2147483647\r\n$4\r\nPING\r\n");
                assertTrue(!c.hasDataWithin(300), "waits for the other 2147483646 arguments");
            }
            try (RawClient c = new RawClient(server.port())) {
                byte[] big = new byte[48 << 20];
                c.send(cmd("PUBLISH".getBytes(), "nobody".getBytes(), big));
                assertEquals(":0\r\n", c.readText());
            }
            assertHealthy(server, "after-huge");
        }
    }

    @Test
    void thousandsOfCommandsInOnePacket() throws Exception {
        try (TestServer server = TestServer.start(); RawClient c = new RawClient(server.port())) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            for (int i = 0; i < 30_000; i++) {
                o.writeBytes(i % 3 == 0 ? RawClient.latin1("PING\r\n") : i % 3 == 1 ? cmd("PING", "x") : cmd("PUBLISH", "c", "m"));
            }
            c.send(o.toByteArray());
            for (int i = 0; i < 30_000; i++) {
                String expected = i % 3 == 0 ? "+PONG\r\n" : i % 3 == 1 ? "$1\r\nx\r\n" : ":0\r\n";
                assertEquals(expected, c.readText(), "reply " + i);
            }
            assertHealthy(server, "after-burst");
        }
    }

    @Test
    void aClientThatNeverReadsIsThrottledNotBuffered() throws Exception {
        try (TestServer server = TestServer.start()) {
            AtomicLong written = new AtomicLong();
            Socket hog = new Socket();
            hog.connect(new InetSocketAddress("127.0.0.1", server.port()));
            byte[] pings = RawClient.latin1("PING\r\n".repeat(10_000));
            Thread writer = Thread.ofPlatform().daemon().start(() -> {
                try {
                    OutputStream o = hog.getOutputStream();
                    while (written.get() < (1L << 30)) {
                        o.write(pings);
                        written.addAndGet(pings.length);
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            Thread.sleep(2000);
            long first = written.get();
            Thread.sleep(1500);
            long second = written.get();
            long readByServer = server.counter(LoopCounters.BYTES_IN);
            assertEquals(first, second, "the writer is blocked: the server stopped reading a client that does not read its replies");
            assertTrue(second < (256L << 20), "only socket buffers' worth was taken in: " + second);
            assertTrue(readByServer < (128L << 20), "the server read " + readByServer + " bytes");
            long t0 = System.nanoTime();
            assertHealthy(server, "beside-the-hog");
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
            hog.close();
            writer.join(5000);
        }
    }

    /** Publishes 10 KB messages until nobody receives them any more; returns how many were published. */
    private static int publishUntilDropped(RawClient pub, String channel, int expectedBefore, int max) throws IOException {
        byte[] payload = new byte[10_000];
        for (int i = 0; i < max; i++) {
            pub.send(cmd("PUBLISH".getBytes(), channel.getBytes(), payload));
            String r = pub.readText();
            if (!r.equals(":" + expectedBefore + "\r\n")) {
                assertEquals(":" + (expectedBefore - 1) + "\r\n", r);
                return i;
            }
        }
        throw new AssertionError("the slow subscriber was never disconnected");
    }

    @Test
    void aSlowSubscriberIsDisconnectedAtTheHardLimit() throws Exception {
        try (TestServer server = TestServer.start(Map.of("pubsub-output-hard-limit", "1mb", "pubsub-output-soft-limit", "0"))) {
            Socket slow = new Socket();
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress("127.0.0.1", server.port()));
            slow.getOutputStream().write(cmd("SUBSCRIBE", "firehose"));
            try (RawClient fast = new RawClient(server.port()); RawClient pub = new RawClient(server.port())) {
                fast.send(cmd("SUBSCRIBE", "firehose"));
                fast.readReply();
                AtomicLong received = new AtomicLong();
                Thread reader = Thread.ofPlatform().daemon().start(() -> {
                    try {
                        while (fast.readText().startsWith("*3\r\n$7\r\nmessage\r\n")) {
                            received.incrementAndGet();
                        }
                    } catch (IOException e) {
                        // closed at the end
                    }
                });
                Thread.sleep(200);
                int n = publishUntilDropped(pub, "firehose", 2, 20_000);
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (received.get() < n + 1 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertEquals(n + 1, received.get(), "the fast subscriber gets every message");
                assertEquals(1, server.disconnects(DisconnectReason.OUTPUT_HARD_LIMIT));
                fast.close();
                reader.join(5000);
                assertHealthy(server, "after-slow");
            }
            // The dropped subscriber's socket is really closed: reading it ends (after whatever the
            // kernel still held) instead of waiting forever.
            slow.setSoTimeout(10_000);
            slow.setReceiveBufferSize(1 << 20);
            try {
                slow.getInputStream().readAllBytes();
            } catch (java.net.SocketException reset) {
                // closed with data unsent: a reset is the right ending too
            }
            slow.close();
        }
    }

    @Test
    void aSlowSubscriberIsDisconnectedAfterTheSoftLimitTime() throws Exception {
        try (TestServer server = TestServer.start(Map.of("pubsub-output-hard-limit", "0",
                "pubsub-output-soft-limit", "256kb", "pubsub-output-soft-seconds", "1"))) {
            Socket slow = new Socket();
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress("127.0.0.1", server.port()));
            slow.getOutputStream().write(cmd("SUBSCRIBE", "drip"));
            try (RawClient pub = new RawClient(server.port())) {
                Thread.sleep(200);
                byte[] payload = new byte[10_000];
                long start = System.nanoTime();
                int receivers = 1;
                while (receivers == 1 && System.nanoTime() - start < 20_000_000_000L) {
                    pub.send(cmd("PUBLISH".getBytes(), "drip".getBytes(), payload));
                    receivers = Integer.parseInt(pub.readText().substring(1).trim());
                    Thread.sleep(2);
                }
                assertEquals(0, receivers);
                assertTrue(System.nanoTime() - start > 1_000_000_000L, "not before the soft limit's time");
                assertEquals(1, server.disconnects(DisconnectReason.OUTPUT_SOFT_LIMIT));
            }
            slow.close();
        }
    }

    @Test
    void maxConnections() throws Exception {
        try (TestServer server = TestServer.start(Map.of("max-connections", "3"))) {
            List<RawClient> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                RawClient c = new RawClient(server.port());
                c.send("PING\r\n");
                assertEquals("+PONG\r\n", c.readText());
                clients.add(c);
            }
            try (RawClient extra = new RawClient(server.port())) {
                assertEquals("-ERR max number of clients reached\r\n", extra.readText());
                assertTrue(extra.closedWithin(5000));
            }
            clients.remove(0).close();
            Thread.sleep(200);
            try (RawClient again = new RawClient(server.port())) {
                again.send("PING\r\n");
                assertEquals("+PONG\r\n", again.readText());
            }
            for (RawClient c : clients) {
                c.close();
            }
            assertEquals(1, server.disconnects(DisconnectReason.MAX_CONNECTIONS));
        }
    }

    @Test
    void queryBufferLimit() throws Exception {
        try (TestServer server = TestServer.start(Map.of("max-bulk-length", "1mb", "max-query-buffer", "2mb"))) {
            try (RawClient c = new RawClient(server.port())) {
                c.send("*100000000\r\n");
                byte[] chunk = RawClient.latin1("$1\r\na\r\n".repeat(10_000));
                try {
                    for (int i = 0; i < 100; i++) {
                        c.send(chunk);
                    }
                } catch (IOException closed) {
                    // expected once the server gives up on the connection
                }
                assertTrue(c.closedWithin(5000));
            }
            assertEquals(1, server.disconnects(DisconnectReason.QUERY_BUFFER_LIMIT));
            assertHealthy(server, "after-query-buffer");
        }
    }
}
