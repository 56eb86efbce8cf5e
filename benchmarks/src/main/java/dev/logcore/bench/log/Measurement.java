package dev.logcore.bench.log;

import dev.logcore.io.DiskIoStats;
import dev.logcore.io.OpKind;
import org.HdrHistogram.Histogram;

/**
 * One measured run: records acknowledged in a time, what the engine did for them, and the ack
 * latency distribution (from each append's intended start, so an open loop has no coordinated
 * omission).
 *
 * @param workload what ran
 * @param provider the DiskIo provider (or the baseline's name)
 * @param records records acknowledged
 * @param seconds wall time
 * @param syncs fdatasyncs (write-then-sync operations and plain syncs)
 * @param bytes bytes written to the log
 * @param latency ack latency in nanoseconds, or null
 * @param engine the engine's counters for the run, or null
 * @param note anything a reader must know
 */
record Measurement(String workload, String provider, long records, double seconds, long syncs, long bytes, Histogram latency,
                   DiskIoStats engine, String note) {

    double recordsPerSecond() {
        return records / seconds;
    }

    double syncsPerSecond() {
        return syncs / seconds;
    }

    double recordsPerSync() {
        return syncs == 0 ? 0 : (double) records / syncs;
    }

    double bytesPerSync() {
        return syncs == 0 ? 0 : (double) bytes / syncs;
    }

    double latencyMillis(double percentile) {
        return latency == null || latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1e6;
    }

    /** Mean engine latency of its operations in microseconds (write+fdatasync in the durable runs). */
    double engineP50Micros() {
        return engine == null ? Double.NaN : engine.latency().p50Nanos() / 1e3;
    }

    double engineP99Micros() {
        return engine == null ? Double.NaN : engine.latency().p99Nanos() / 1e3;
    }

    static long syncsOf(DiskIoStats s) {
        return s.of(OpKind.WRITE_SYNC).count() + s.of(OpKind.SYNC).count();
    }

    static long bytesOf(DiskIoStats s) {
        return s.of(OpKind.WRITE_SYNC).bytes() + s.of(OpKind.WRITEV).bytes() + s.of(OpKind.WRITE).bytes();
    }
}
