package dev.logcore.app;

import dev.logcore.app.config.Settings;
import dev.logcore.app.disk.DataEngine;
import dev.logcore.app.http.HttpVerticle;
import dev.logcore.app.metrics.ServerMetrics;
import dev.logcore.app.pubsub.PubSubRegistry;
import dev.logcore.app.pubsub.PubSubVerticle;
import dev.logcore.app.pubsub.ServerLimits;
import dev.logcore.io.BackendUnavailableException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The running server: the DiskIo engine, Vert.x on the chosen transport, one pub/sub verticle per
 * event loop and the HTTP verticle. {@link #start} brings it up in that order (so a bad backend
 * fails before anything listens); {@link #stop} takes it down in reverse, bounded in time.
 */
public final class Application {
    private static final System.Logger LOG = System.getLogger(Application.class.getName());

    private final Settings settings;
    private final DataEngine engine;
    private final Vertx vertx;
    private final PubSubRegistry registry;
    private final List<PubSubVerticle> pubsub;
    private final String pubsubDeployment;
    private final HttpVerticle http;
    private final String transportName;
    private final ServerMetrics metrics;
    private final AtomicBoolean serving = new AtomicBoolean(true);
    private final AtomicBoolean stopped = new AtomicBoolean();

    private Application(Settings settings, DataEngine engine, Vertx vertx, PubSubRegistry registry, List<PubSubVerticle> pubsub,
                        String pubsubDeployment, HttpVerticle http, String transportName, ServerMetrics metrics) {
        this.settings = settings;
        this.engine = engine;
        this.vertx = vertx;
        this.registry = registry;
        this.pubsub = pubsub;
        this.pubsubDeployment = pubsubDeployment;
        this.http = http;
        this.transportName = transportName;
        this.metrics = metrics;
    }

    /** A start that failed for a reason the user must fix; the message is one line. */
    public static final class StartException extends Exception {
        private final int exitStatus;

        StartException(String message, int exitStatus, Throwable cause) {
            super(message, cause);
            this.exitStatus = exitStatus;
        }

        /** 2 for a setting that cannot work here (bad backend or transport), 1 otherwise. */
        public int exitStatus() {
            return exitStatus;
        }
    }

    /**
     * Starts the server.
     *
     * @throws StartException if the backend or transport cannot run here (exit status 2) or the
     *     server cannot start (a port in use, a locked data directory: exit status 1)
     */
    public static Application start(Settings settings) throws StartException {
        DataEngine engine;
        try {
            engine = DataEngine.open(settings);
        } catch (BackendUnavailableException e) {
            throw new StartException(e.getMessage(), 2, e);
        } catch (DataEngine.StartupException e) {
            throw new StartException(e.getMessage(), 1, e);
        }
        LOG.log(Level.INFO, "DiskIo backend " + engine.providerName() + " (setting " + settings.backend().value()
                + " from " + settings.backend().source() + "): " + engine.selectionReason());
        LOG.log(Level.INFO, "data directory " + engine.dataDir());

        Vertx vertx = null;
        try {
            NetTransport transport;
            try {
                transport = NetTransport.choose(settings.transport());
            } catch (IllegalStateException e) {
                throw new StartException(e.getMessage(), 2, e);
            }
            LOG.log(Level.INFO, "network transport " + transport.transport().name() + " (" + transport.reason() + ")");

            int loops = settings.eventLoops();
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            VertxOptions options = new VertxOptions()
                    .setEventLoopPoolSize(loops)
                    .setWorkerPoolSize(2)
                    .setInternalBlockingPoolSize(2)
                    .setMetricsOptions(new MicrometerMetricsOptions()
                            .setEnabled(true)
                            .setJvmMetricsEnabled(true)
                            // The pub/sub protocol handler reads the sockets before Vert.x's own
                            // handler, so Vert.x's TCP byte counts would read zero: ours replace them.
                            .setDisabledMetricsCategories(Set.of(MetricsDomain.NET_SERVER.toCategory()))
                            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
            vertx = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(meters))
                    .withTransport(transport.transport()).build();

            PubSubRegistry registry = new PubSubRegistry(loops);
            ServerLimits limits = ServerLimits.of(settings);
            AtomicInteger next = new AtomicInteger();
            AtomicLong clientIds = new AtomicLong();
            List<PubSubVerticle> verticles = new ArrayList<>();
            String deployment = await(vertx.deployVerticle(() -> {
                PubSubVerticle v = new PubSubVerticle(next.getAndIncrement(), registry, limits, settings.host(),
                        settings.port(), settings.shutdownTimeoutMs(), clientIds);
                synchronized (verticles) {
                    verticles.add(v);
                }
                return v;
            }, new DeploymentOptions().setInstances(loops)), "start the pub/sub server on " + settings.host() + ":" + settings.port());
            Set<Object> distinct = new HashSet<>();
            verticles.forEach(v -> distinct.add(v.hub().loop()));
            if (distinct.size() != loops) {
                LOG.log(Level.WARNING, "the " + loops + " pub/sub verticles share " + distinct.size() + " event loops");
            }
            ServerMetrics metrics = ServerMetrics.bind(meters, registry, engine);

            Application[] self = new Application[1];
            HttpVerticle http = null;
            if (settings.httpPort() >= 0) {
                http = new HttpVerticle(settings.httpHost(), settings.httpPort(), meters,
                        () -> self[0].healthJson(), () -> self[0] != null && self[0].serving.get());
                await(vertx.deployVerticle(http), "start the HTTP server on " + settings.httpHost() + ":" + settings.httpPort());
            }
            Application app = new Application(settings, engine, vertx, registry, List.copyOf(verticles), deployment, http,
                    transport.transport().name(), metrics);
            self[0] = app;
            LOG.log(Level.INFO, "ready: pub/sub (RESP) on " + settings.host() + ":" + app.respPort()
                    + ", " + loops + " event loop" + (loops == 1 ? "" : "s")
                    + (http == null ? ", HTTP off" : ", HTTP on http://" + settings.httpHost() + ":" + app.httpPort() + " (/health, /metrics)"));
            return app;
        } catch (StartException | RuntimeException e) {
            closeQuietly(vertx);
            engine.close();
            throw e instanceof StartException se ? se : new StartException(String.valueOf(e.getMessage()), 1, e);
        }
    }

    private static <T> T await(Future<T> f, String what) throws StartException {
        try {
            return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new StartException("cannot " + what + ": " + c.getMessage(), 1, c);
        } catch (TimeoutException e) {
            throw new StartException("cannot " + what + ": no answer in 60 s", 1, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartException("interrupted while trying to " + what, 1, e);
        }
    }

    private static void closeQuietly(Vertx vertx) {
        if (vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing Vert.x: " + e);
            }
        }
    }

    /** The port the pub/sub server listens on. */
    public int respPort() {
        return pubsub.get(0).actualPort();
    }

    /** The HTTP port, or -1 when HTTP is off. */
    public int httpPort() {
        return http == null ? -1 : http.actualPort();
    }

    public String providerName() {
        return engine.providerName();
    }

    /** The Vert.x transport in use (io_uring or nio). */
    public String transportName() {
        return transportName;
    }

    public PubSubRegistry registry() {
        return registry;
    }

    public Vertx vertx() {
        return vertx;
    }

    private JsonObject healthJson() {
        return new JsonObject()
                .put("backend", engine.providerName())
                .put("transport", transportName)
                .put("eventLoops", settings.eventLoops())
                .put("connections", registry.connections().get())
                .put("channels", registry.channelCount())
                .put("patterns", registry.patternCount());
    }

    /**
     * Stops gracefully: stop accepting, let every connection write what is pending and close
     * (each gets up to shutdown-timeout-ms), stop HTTP, close the DiskIo engine. Bounded: returns
     * false if some step did not finish in time (the engine is closed regardless).
     */
    public boolean stop() {
        if (!stopped.compareAndSet(false, true)) {
            return true;
        }
        serving.set(false);
        long budgetMs = settings.shutdownTimeoutMs() + 5_000;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(budgetMs);
        boolean clean = true;
        LOG.log(Level.INFO, "shutting down: closing " + registry.connections().get() + " connection(s)");
        try {
            vertx.undeploy(pubsubDeployment).toCompletionStage().toCompletableFuture()
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            clean = false;
            LOG.log(Level.WARNING, "pub/sub server did not stop in time: " + e);
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture()
                    .get(Math.max(1_000_000_000L, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            clean = false;
            LOG.log(Level.WARNING, "Vert.x did not close in time: " + e);
        }
        engine.close();
        LOG.log(Level.INFO, clean ? "stopped" : "stopped, not cleanly");
        return clean;
    }
}
