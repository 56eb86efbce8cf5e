package dev.logcore.app.metrics;

import dev.logcore.app.disk.DataEngine;
import dev.logcore.app.pubsub.DisconnectReason;
import dev.logcore.app.pubsub.LoopCounters;
import dev.logcore.app.pubsub.LoopHub;
import dev.logcore.app.pubsub.PubSubRegistry;
import dev.logcore.io.DiskIoStats;
import dev.logcore.io.OpKind;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The server's own meters, read from the per-loop counters and the DiskIo engine's stats when
 * Prometheus scrapes (nothing is counted twice on the hot path). Names, as Prometheus shows them:
 * {@code logcore_pubsub_*} and {@code logcore_diskio_*}; docs/PUBSUB.md lists them.
 */
public final class ServerMetrics {
    // Micrometer holds a meter's source object weakly; these fields keep the sources alive for as
    // long as the server keeps this object, or the series would vanish after a garbage collection.
    private final List<LoopHub> hubs;
    private final PubSubRegistry pubsub;
    private final DataEngine engine;

    private ServerMetrics(List<LoopHub> hubs, PubSubRegistry pubsub, DataEngine engine) {
        this.hubs = hubs;
        this.pubsub = pubsub;
        this.engine = engine;
    }

    /** Registers the meters; the caller keeps the returned object for as long as they should exist. */
    public static ServerMetrics bind(MeterRegistry meters, PubSubRegistry pubsub, DataEngine engine) {
        List<LoopHub> hubs = pubsub.hubs();
        ServerMetrics holder = new ServerMetrics(hubs, pubsub, engine);
        Gauge.builder("logcore.pubsub.connections", pubsub, p -> p.connections().get())
                .description("open client connections").register(meters);
        Gauge.builder("logcore.pubsub.channels", pubsub, PubSubRegistry::channelCount)
                .description("channels with at least one subscriber").register(meters);
        Gauge.builder("logcore.pubsub.patterns", pubsub, PubSubRegistry::patternCount)
                .description("distinct patterns with at least one subscriber").register(meters);
        Gauge.builder("logcore.pubsub.subscriptions", hubs, h -> sum(h, LoopCounters.SUBSCRIPTIONS))
                .description("channel and pattern subscriptions of all connections").register(meters);
        counter(meters, "logcore.pubsub.connections.accepted", "connections accepted", hubs, LoopCounters.ACCEPTED, null);
        counter(meters, "logcore.pubsub.commands", "commands run", hubs, LoopCounters.COMMANDS, null);
        counter(meters, "logcore.pubsub.messages.published", "PUBLISH commands (messages in)", hubs, LoopCounters.PUBLISHED, null);
        counter(meters, "logcore.pubsub.messages.delivered", "messages written to subscribers (messages out)", hubs, LoopCounters.DELIVERED, null);
        counter(meters, "logcore.pubsub.messages.dropped", "messages not delivered because the subscriber was being disconnected", hubs, LoopCounters.DROPPED, null);
        counter(meters, "logcore.pubsub.received", "bytes read from clients", hubs, LoopCounters.BYTES_IN, "bytes");
        counter(meters, "logcore.pubsub.sent", "bytes written to clients", hubs, LoopCounters.BYTES_OUT, "bytes");
        for (DisconnectReason r : DisconnectReason.values()) {
            FunctionCounter.builder("logcore.pubsub.disconnects", hubs, h -> {
                        long n = 0;
                        for (LoopHub x : h) {
                            n += x.counters().disconnects(r);
                        }
                        return n;
                    })
                    .description("client connections ended, by reason").tag("reason", r.label()).register(meters);
        }

        if (engine != null) {
            Gauge.builder("logcore.diskio.info", () -> 1).description("the DiskIo provider in use")
                    .tag("provider", engine.providerName()).register(meters);
            for (OpKind op : OpKind.values()) {
                diskCounter(meters, engine, "logcore.diskio.operations", "completed DiskIo operations", op, s -> s.of(op).count(), null);
                diskCounter(meters, engine, "logcore.diskio.data", "bytes moved by DiskIo operations", op, s -> s.of(op).bytes(), "bytes");
                diskCounter(meters, engine, "logcore.diskio.errors", "DiskIo operations that failed or were cancelled", op, s -> s.of(op).errors(), null);
            }
            FunctionCounter.builder("logcore.diskio.system.calls", engine, e -> e.stats().systemCalls())
                    .description("system calls made to run DiskIo operations").register(meters);
            FunctionCounter.builder("logcore.diskio.submitted.operations", engine, e -> e.stats().submittedOps())
                    .description("DiskIo operations handed to the kernel by those calls").register(meters);
            Gauge.builder("logcore.diskio.in.flight", engine, e -> e.stats().inFlight())
                    .description("DiskIo operations submitted and not completed").register(meters);
            latency(meters, engine, "0.5", s -> s.latency().p50Nanos());
            latency(meters, engine, "0.99", s -> s.latency().p99Nanos());
            latency(meters, engine, "0.999", s -> s.latency().p999Nanos());
            latency(meters, engine, "1.0", s -> s.latency().maxNanos());
        }
        return holder;
    }

    private static void counter(MeterRegistry meters, String name, String help, List<LoopHub> hubs, int which, String unit) {
        FunctionCounter.builder(name, hubs, h -> sum(h, which)).description(help).baseUnit(unit).register(meters);
    }

    private static double sum(List<LoopHub> hubs, int which) {
        long n = 0;
        for (LoopHub h : hubs) {
            n += h.counters().get(which);
        }
        return n;
    }

    private static void diskCounter(MeterRegistry meters, DataEngine engine, String name, String help, OpKind op,
                                    ToDoubleFunction<DiskIoStats> f, String unit) {
        FunctionCounter.builder(name, engine, e -> f.applyAsDouble(e.stats()))
                .description(help).tag("op", op.label()).baseUnit(unit).register(meters);
    }

    private static void latency(MeterRegistry meters, DataEngine engine, String quantile, ToDoubleFunction<DiskIoStats> nanos) {
        Gauge.builder("logcore.diskio.latency", engine, e -> nanos.applyAsDouble(e.stats()) / 1e9)
                .description("DiskIo operation latency, submission to completion").tag("quantile", quantile)
                .baseUnit("seconds").register(meters);
    }
}
