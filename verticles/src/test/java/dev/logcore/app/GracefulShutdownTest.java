package dev.logcore.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.logcore.app.RawClient.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shutdown stops accepting, writes what each connection still has pending, then closes it. */
@Timeout(60)
class GracefulShutdownTest {

    @Test
    void pendingMessagesReachASlowReaderBeforeTheConnectionCloses() throws Exception {
        TestServer server = TestServer.start(Map.of("shutdown-timeout-ms", "10000"));
        int port = server.port();
        Socket slow = new Socket();
        // Small, but not so small that the window updates fall below one loopback segment: with a
        // 4 KB buffer TCP falls back to zero-window probes, seconds apart, and reading stalls.
        slow.setReceiveBufferSize(256 * 1024);
        slow.connect(new InetSocketAddress("127.0.0.1", port));
        slow.getOutputStream().write(cmd("SUBSCRIBE", "backlog"));
        Thread.sleep(200);
        int messages = 1200; // 12 MB: more than the kernel's socket buffers hold (4 MB send, 256 KB receive)
        byte[] payload = new byte[10_000];
        try (RawClient pub = new RawClient(port)) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int i = 0; i < messages; i++) {
                burst.writeBytes(cmd("PUBLISH".getBytes(), "backlog".getBytes(), payload));
            }
            pub.send(burst.toByteArray());
            for (int i = 0; i < messages; i++) {
                assertEquals(":1\r\n", pub.readText());
            }
        }
        // Megabytes wait in the server for a client that is not reading. Stop the server...
        long t0 = System.nanoTime();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
        Thread.sleep(300);
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(), "no longer accepting");
        // ... and only now read: every message arrives, then the end of the stream.
        slow.setSoTimeout(10_000);
        byte[] all = slow.getInputStream().readAllBytes();
        stopping.get(20, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        int expected = ("*3\r\n$9\r\nsubscribe\r\n$7\r\nbacklog\r\n:1\r\n").length()
                + messages * ("*3\r\n$7\r\nmessage\r\n$7\r\nbacklog\r\n$10000\r\n").length() + messages * (10_000 + 2);
        assertEquals(expected, all.length, "every pending byte was written before the close");
        assertTrue(ms < 15_000, "bounded: " + ms + " ms");
        slow.close();
    }

    @Test
    void aReaderThatNeverReadsIsClosedAtTheShutdownTimeout() throws Exception {
        TestServer server = TestServer.start(Map.of("shutdown-timeout-ms", "1000"));
        Socket stuck = new Socket();
        stuck.setReceiveBufferSize(256 * 1024);
        stuck.connect(new InetSocketAddress("127.0.0.1", server.port()));
        stuck.getOutputStream().write(cmd("SUBSCRIBE", "stuck"));
        Thread.sleep(200);
        try (RawClient pub = new RawClient(server.port())) {
            byte[] payload = new byte[10_000];
            for (int i = 0; i < 800; i++) {
                pub.send(cmd("PUBLISH".getBytes(), "stuck".getBytes(), payload));
                pub.readText();
            }
        }
        long t0 = System.nanoTime();
        boolean clean = server.app().stop();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 8_000, "bounded by the timeout: " + ms + " ms");
        assertTrue(clean, "stopped within its budget");
        assertEquals(0, server.app().registry().connections().get(), "every connection was closed");
        // (Whether the client sees the end of the stream now depends on the transport: on io_uring
        // Netty closes the socket only after the kernel gives the stuck send back, which may be when
        // the process exits; ServerProcessTest checks the client's side with a real process.)
        stuck.close();
        server.close();
    }

    @Test
    void stopIsIdempotent() throws Exception {
        TestServer server = TestServer.start();
        assertTrue(server.app().stop());
        assertTrue(server.app().stop());
        assertThrows(IOException.class, () -> new RawClient(server.port()).close());
        server.close();
    }
}
