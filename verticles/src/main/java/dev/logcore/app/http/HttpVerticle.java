package dev.logcore.app.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Health and metrics over HTTP: {@code GET /health} (200 with a JSON summary while serving, 503
 * while shutting down) and {@code GET /metrics} (Prometheus text format, rendered on a worker
 * thread so a large scrape never stalls the event loop).
 */
public final class HttpVerticle extends VerticleBase {
    private final String host;
    private final int port;
    private final PrometheusMeterRegistry meters;
    private final Supplier<JsonObject> health;
    private final BooleanSupplier serving;
    private HttpServer server;

    public HttpVerticle(String host, int port, PrometheusMeterRegistry meters, Supplier<JsonObject> health, BooleanSupplier serving) {
        this.host = host;
        this.port = port;
        this.meters = meters;
        this.health = health;
        this.serving = serving;
    }

    @Override
    public Future<?> start() {
        server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)).requestHandler(this::handle);
        return server.listen();
    }

    public int actualPort() {
        return server.actualPort();
    }

    private void handle(HttpServerRequest req) {
        if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
            req.response().setStatusCode(405).putHeader("allow", "GET, HEAD").end();
            return;
        }
        switch (req.path()) {
            case "/health" -> {
                boolean up = serving.getAsBoolean();
                JsonObject body = health.get().put("status", up ? "UP" : "SHUTTING_DOWN");
                req.response().setStatusCode(up ? 200 : 503).putHeader("content-type", "application/json")
                        .end(body.encode());
            }
            case "/metrics" -> vertx.executeBlocking(meters::scrape, false).onComplete(ar -> {
                if (ar.succeeded()) {
                    req.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(ar.result());
                } else {
                    req.response().setStatusCode(500).end(String.valueOf(ar.cause()));
                }
            });
            default -> req.response().setStatusCode(404).putHeader("content-type", "text/plain")
                    .end("not found: try /health or /metrics\n");
        }
    }

    @Override
    public Future<?> stop() {
        return server.close();
    }
}
