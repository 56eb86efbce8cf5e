package dev.logcore.bench.log;

import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.DiskIoProvider;
import dev.logcore.io.DiskIoStats;
import dev.logcore.log.LogSettings;
import dev.logcore.log.LogStore;
import dev.logcore.log.PartitionLog;
import dev.logcore.log.Record;
import dev.logcore.log.Topic;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The append workloads: 100-byte records into a fresh log, measured for a fixed time after a
 * warm-up. Every run opens its own engine so its counters cover exactly that run.
 */
final class AppendLoads {
    private AppendLoads() {
    }

    static final int RECORD_BYTES = 100;
    private static final Record RECORD = new Record(null, new byte[RECORD_BYTES], List.of(), 1_700_000_000_000L);

    /** A fresh log with {@code partitions} partitions, the engine, and the measured window. */
    private static final class Rig implements AutoCloseable {
        final DiskIo io;
        final LogStore store;
        final Topic topic;
        final Path dir;

        Rig(DiskIoProvider provider, Path dir, LogSettings settings, int partitions) throws IOException {
            this.dir = dir;
            this.io = provider.open(DiskIoConfig.defaults());
            this.store = LogStore.open(dir, io, settings);
            this.topic = store.createTopic("bench", partitions);
        }

        @Override
        public void close() {
            store.close();
            io.close();
            Bench.deleteTree(dir);
        }
    }

    /**
     * Open loop: appends are scheduled at a fixed offered rate, at most {@code maxInFlight}
     * outstanding, spread round-robin over the partitions. Latency is measured from each append's
     * scheduled time, so when the log falls behind the wait counts (no coordinated omission). The
     * generator issues the appends that are due in bursts every few tens of microseconds instead of
     * spinning, to leave the CPU to the log.
     */
    static Measurement openLoop(String name, DiskIoProvider provider, Path dir, LogSettings settings, int partitions,
                                long ratePerSecond, int maxInFlight, double warmupSeconds, double seconds) throws IOException {
        try (Rig rig = new Rig(provider, dir, settings, partitions)) {
            runOpenLoop(rig, ratePerSecond, maxInFlight, warmupSeconds, null, null);
            ConcurrentHistogram hist = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
            DiskIoStats before = rig.io.stats();
            LongAdder acked = new LongAdder();
            long t0 = System.nanoTime();
            runOpenLoop(rig, ratePerSecond, maxInFlight, seconds, hist, acked);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            DiskIoStats after = rig.io.stats();
            return result(name, provider.name(), acked.sum(), elapsed, before, after, hist,
                    "offered " + ratePerSecond + "/s, <= " + maxInFlight + " in flight, " + partitions + " partition(s)");
        }
    }

    private static void runOpenLoop(Rig rig, long rate, int maxInFlight, double seconds, Histogram hist, LongAdder acked) {
        List<PartitionLog> parts = rig.topic.partitions();
        AtomicInteger inFlight = new AtomicInteger();
        double interval = 1e9 / rate;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long i = 0;
        int p = 0;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            long intended = start + (long) (i * interval);
            while (intended <= now && inFlight.get() < maxInFlight) {
                final long t = intended;
                inFlight.incrementAndGet();
                CompletableFuture<Long> f = parts.get(p).append(RECORD);
                p = p + 1 == parts.size() ? 0 : p + 1;
                f.whenComplete((off, err) -> {
                    inFlight.decrementAndGet();
                    if (err == null && hist != null) {
                        hist.recordValue(Math.max(0, System.nanoTime() - t));
                        acked.increment();
                    }
                });
                i++;
                intended = start + (long) (i * interval);
            }
            LockSupport.parkNanos(20_000);
        }
        while (inFlight.get() > 0) {
            LockSupport.parkNanos(100_000);
        }
    }

    /**
     * Closed loop: {@code producers} threads, each appending one record and waiting for its ack
     * before the next. The producers are virtual threads: a blocked producer costs no kernel thread,
     * and waking one is a task on the carrier pool instead of a futex wake-up per ack (with 64
     * platform threads on 2 cores the run measures the scheduler, not the log).
     */
    static Measurement closedLoop(String name, DiskIoProvider provider, Path dir, LogSettings settings, int producers,
                                  double warmupSeconds, double seconds) throws IOException, InterruptedException {
        try (Rig rig = new Rig(provider, dir, settings, 1)) {
            PartitionLog p = rig.topic.partition(0);
            ConcurrentHistogram hist = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
            AtomicLong phase = new AtomicLong(0); // 0 warm-up, 1 measuring, 2 stop
            LongAdder acked = new LongAdder();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < producers; t++) {
                Thread th = Thread.ofVirtual().name("producer-" + t).unstarted(() -> {
                    while (phase.get() < 2) {
                        long s = System.nanoTime();
                        p.append(RECORD).join();
                        if (phase.get() == 1) {
                            hist.recordValue(System.nanoTime() - s);
                            acked.increment();
                        }
                    }
                });
                threads.add(th);
                th.start();
            }
            Thread.sleep((long) (warmupSeconds * 1000));
            DiskIoStats before = rig.io.stats();
            long t0 = System.nanoTime();
            phase.set(1);
            Thread.sleep((long) (seconds * 1000));
            phase.set(2);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            DiskIoStats after = rig.io.stats();
            for (Thread th : threads) {
                th.join(10_000);
            }
            return result(name, provider.name(), acked.sum(), elapsed, before, after, hist,
                    producers + " producers, each waits for its ack");
        }
    }

    /**
     * Throughput with a window: one producer thread keeps up to {@code window} records outstanding,
     * as fast as the log takes them (for the policy {@code none}, where a sync does not pace it).
     * With {@code group} 1 it calls {@code append} per record; with more it sends groups of that many
     * records with {@code appendAll}, one future per group, as a Kafka producer sends the batch it
     * built for a partition. When the window is full the producer parks briefly instead of
     * spinning: on 2 cores a spinning producer takes the CPU the writer needs.
     */
    static Measurement window(String name, DiskIoProvider provider, Path dir, LogSettings settings, int window, int group,
                              double warmupSeconds, double seconds) throws IOException {
        try (Rig rig = new Rig(provider, dir, settings, 1)) {
            PartitionLog p = rig.topic.partition(0);
            runWindow(p, window, group, warmupSeconds, null);
            DiskIoStats before = rig.io.stats();
            LongAdder acked = new LongAdder();
            long t0 = System.nanoTime();
            runWindow(p, window, group, seconds, acked);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            DiskIoStats after = rig.io.stats();
            return result(name, provider.name(), acked.sum(), elapsed, before, after, null,
                    "one producer, " + window + " records outstanding" + (group > 1 ? ", appendAll of " + group : ", append per record"));
        }
    }

    private static void runWindow(PartitionLog p, int window, int group, double seconds, LongAdder acked) {
        // The producer reads the completion count only when its cached copy says the window is
        // full: a read per append would bounce the counter's cache line between the producer's
        // core and the writer's (where the acks run) on every record, and measure that instead.
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Record> records = java.util.Collections.nCopies(group, RECORD);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long issued = 0;
        long seenDone = 0;
        int n = 0;
        while (true) {
            if ((++n & 255) == 0 && System.nanoTime() >= end) {
                break;
            }
            if (issued - seenDone > window - group) {
                while (issued - (seenDone = done.get()) > window - group) {
                    LockSupport.parkNanos(10_000);
                }
            }
            issued += group;
            CompletableFuture<Long> f = group == 1 ? p.append(RECORD) : p.appendAll(records);
            f.whenComplete((off, err) -> {
                if (err != null) {
                    failed.addAndGet(group);
                }
                done.addAndGet(group);
            });
        }
        while (done.get() < issued) {
            LockSupport.parkNanos(100_000);
        }
        if (acked != null) {
            acked.add(done.get() - failed.get());
        }
    }

    private static Measurement result(String name, String provider, long records, double seconds, DiskIoStats before,
                                      DiskIoStats after, Histogram hist, String note) {
        long syncs = Measurement.syncsOf(after) - Measurement.syncsOf(before);
        long bytes = Measurement.bytesOf(after) - Measurement.bytesOf(before);
        return new Measurement(name, provider, records, seconds, syncs, bytes, hist, after, note);
    }
}
