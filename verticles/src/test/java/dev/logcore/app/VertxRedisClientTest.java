package dev.logcore.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The Vert.x Redis client, which opens every connection with HELLO 3: against a RESP2-only server
 * it must fall back to RESP2 and then subscribe and publish as usual.
 */
@Timeout(60)
class VertxRedisClientTest {

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void opensWithHello3FallsBackAndPublishes() throws Exception {
        try (TestServer server = TestServer.start()) {
            Vertx vertx = Vertx.vertx();
            try {
                Redis client = Redis.createClient(vertx, new RedisOptions()
                        .setConnectionString("redis://127.0.0.1:" + server.port()).setMaxPoolSize(4));
                RedisConnection sub = await(client.connect());
                BlockingQueue<String> pushes = new LinkedBlockingQueue<>();
                sub.handler(r -> {
                    if (r.type() == ResponseType.MULTI && r.size() == 3 && "message".equals(r.get(0).toString())) {
                        pushes.add(r.get(1) + "=" + r.get(2));
                    }
                });
                await(sub.send(Request.cmd(Command.SUBSCRIBE).arg("news")));
                RedisConnection pub = await(client.connect());
                Response ping = await(pub.send(Request.cmd(Command.PING)));
                assertEquals("PONG", ping.toString());
                Response n = await(pub.send(Request.cmd(Command.PUBLISH).arg("news").arg("hello vert.x")));
                assertEquals(1, n.toInteger());
                String got = pushes.poll(10, TimeUnit.SECONDS);
                assertNotNull(got, "no message within 10 s");
                assertEquals("news=hello vert.x", got);
                pub.close();
                sub.close();
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }
}
