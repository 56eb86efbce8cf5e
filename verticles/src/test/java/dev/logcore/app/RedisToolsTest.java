package dev.logcore.app;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** redis-cli and redis-benchmark (Debian's redis-tools) against the server, unchanged. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(90)
class RedisToolsTest {
    private TestServer server;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private String cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(RedisTools.require("redis-cli"), "-h", "127.0.0.1", "-p", Integer.toString(server.port())));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        return out;
    }

    /** A redis-cli SUBSCRIBE/PSUBSCRIBE running in the background, its output read line by line. */
    private final class Listener implements AutoCloseable {
        final Process process;
        final BufferedReader out;

        Listener(String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(RedisTools.require("redis-cli"), "-h", "127.0.0.1", "-p", Integer.toString(server.port())));
            cmd.addAll(List.of(args));
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        List<String> lines(int n) throws IOException {
            List<String> l = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String s = out.readLine();
                if (s == null) {
                    break;
                }
                l.add(s);
            }
            return l;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void redisCliSubscribesAndPublishes() throws Exception {
        assertEquals("PONG\n", cli("PING"));
        assertEquals("hi\n", cli("PING", "hi"));
        try (Listener sub = new Listener("SUBSCRIBE", "news", "sports");
             Listener psub = new Listener("PSUBSCRIBE", "n*")) {
            assertEquals(List.of("subscribe", "news", "1", "subscribe", "sports", "2"), sub.lines(6));
            assertEquals(List.of("psubscribe", "n*", "1"), psub.lines(3));
            assertEquals("2\n", cli("PUBLISH", "news", "hello world"));
            assertEquals(List.of("message", "news", "hello world"), sub.lines(3));
            assertEquals(List.of("pmessage", "n*", "news", "hello world"), psub.lines(4));
            assertEquals("1\n", cli("PUBLISH", "sports", "goal"));
            assertEquals(List.of("message", "sports", "goal"), sub.lines(3));
            assertEquals("0\n", cli("PUBLISH", "weather", "sunny"));
            assertEquals("1\n", cli("PUBSUB", "NUMPAT"));
        }
    }

    @Test
    void redisCliReadingCommandsFromStdin() throws Exception {
        Process p = new ProcessBuilder(RedisTools.require("redis-cli"), "-h", "127.0.0.1", "-p", Integer.toString(server.port()))
                .redirectErrorStream(true).start();
        p.getOutputStream().write("PING\nPUBLISH nobody x\nFOO bar\nCONFIG GET appendonly\nECHO \"a b\"\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        // (redis-cli first probes with COMMAND DOCS and COMMAND, gets errors, and goes on; it prints
        // a blank line after an error, as it does against Redis)
        assertEquals("PONG\n0\nERR unknown command 'FOO', with args beginning with: 'bar' \n\nappendonly\nno\na b\n", out);
    }

    @Test
    void redisBenchmarkRunsWithoutErrors() throws Exception {
        String bench = RedisTools.require("redis-benchmark");
        for (List<String> args : List.of(List.of("-t", "ping"), List.of("PUBLISH", "ch", "hello"), List.of("-P", "16", "PUBLISH", "ch", "hello"))) {
            List<String> cmd = new ArrayList<>(List.of(bench, "-h", "127.0.0.1", "-p", Integer.toString(server.port()),
                    "-c", "10", "-n", "20000", "-q", "--csv"));
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("\"rps\"") || out.contains("requests per second"), out);
            assertTrue(!out.toLowerCase().contains("error"), out);
        }
    }
}
