package dev.logcore.io;

import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of an engine's counters since it was opened.
 *
 * @param provider the provider name
 * @param operations completed operations by kind (count, bytes moved, failures)
 * @param systemCalls every system call made to run operations: {@code io_uring_enter} calls on
 *     io_uring (including those that only waited for completions), one per read/write/sync call on
 *     thread-based providers
 * @param submitCalls the system calls among those that handed at least one operation to the kernel
 * @param submittedOps operations handed to the kernel by those calls (for the mean batch size)
 * @param inFlight operations submitted and not yet completed
 * @param latency time from submission to completion over all operations
 */
public record DiskIoStats(
        String provider,
        Map<OpKind, OpStats> operations,
        long systemCalls,
        long submitCalls,
        long submittedOps,
        long inFlight,
        Latency latency) {

    public DiskIoStats {
        EnumMap<OpKind, OpStats> copy = new EnumMap<>(OpKind.class);
        copy.putAll(operations);
        operations = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * Counters for one kind of operation.
     *
     * @param count completed operations (successful or not)
     * @param bytes bytes read or written by the successful ones
     * @param errors operations that completed with an error or were cancelled
     */
    public record OpStats(long count, long bytes, long errors) {
        public static final OpStats NONE = new OpStats(0, 0, 0);
    }

    /**
     * Latency percentiles in nanoseconds (relative precision about 6%).
     *
     * @param count operations measured
     * @param meanNanos the mean
     * @param p50Nanos the median
     * @param p99Nanos the 99th percentile
     * @param p999Nanos the 99.9th percentile
     * @param maxNanos the largest
     */
    public record Latency(long count, double meanNanos, long p50Nanos, long p99Nanos, long p999Nanos, long maxNanos) {
    }

    /** The counters of one kind (zeros if none ran). */
    public OpStats of(OpKind kind) {
        return operations.getOrDefault(kind, OpStats.NONE);
    }

    /** All completed operations. */
    public long totalOperations() {
        return operations.values().stream().mapToLong(OpStats::count).sum();
    }

    /** All bytes moved. */
    public long totalBytes() {
        return operations.values().stream().mapToLong(OpStats::bytes).sum();
    }

    /** Operations per submitting system call: how much batching the engine reached. */
    public double meanBatch() {
        return submitCalls == 0 ? 0.0 : (double) submittedOps / submitCalls;
    }

    /** A multi-line human summary. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("provider %s: %d ops, %d bytes, %d system calls (%d submitting), mean batch %.2f, in flight %d%n",
                provider, totalOperations(), totalBytes(), systemCalls, submitCalls, meanBatch(), inFlight));
        for (Map.Entry<OpKind, OpStats> e : operations.entrySet()) {
            OpStats s = e.getValue();
            if (s.count() > 0) {
                sb.append(String.format("  %-12s %10d ops %14d bytes %6d errors%n", e.getKey().label(), s.count(), s.bytes(), s.errors()));
            }
        }
        sb.append(String.format("  latency: mean %.1f us, p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us",
                latency.meanNanos() / 1e3, latency.p50Nanos() / 1e3, latency.p99Nanos() / 1e3,
                latency.p999Nanos() / 1e3, latency.maxNanos() / 1e3));
        return sb.toString();
    }
}
