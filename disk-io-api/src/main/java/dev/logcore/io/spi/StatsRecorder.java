package dev.logcore.io.spi;

import dev.logcore.io.DiskIoStats;
import dev.logcore.io.OpKind;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters every engine keeps, shared by the providers so their stats mean the same thing.
 * Thread-safe and cheap: a few {@link LongAdder} increments per operation.
 */
public final class StatsRecorder {
    private static final OpKind[] KINDS = OpKind.values();

    private final String provider;
    private final LongAdder[] count = new LongAdder[KINDS.length];
    private final LongAdder[] bytes = new LongAdder[KINDS.length];
    private final LongAdder[] errors = new LongAdder[KINDS.length];
    private final LongAdder systemCalls = new LongAdder();
    private final LongAdder submitCalls = new LongAdder();
    private final LongAdder submittedOps = new LongAdder();
    private final LongAdder inFlight = new LongAdder();
    private final LatencyHistogram latency = new LatencyHistogram();

    public StatsRecorder(String provider) {
        this.provider = provider;
        for (int i = 0; i < KINDS.length; i++) {
            count[i] = new LongAdder();
            bytes[i] = new LongAdder();
            errors[i] = new LongAdder();
        }
    }

    /** An operation was accepted; returns its start time for {@link #completed}. */
    public long started() {
        inFlight.increment();
        return System.nanoTime();
    }

    /** An operation accepted by {@link #started()} ended. */
    public void completed(OpKind kind, long startNanos, long byteCount, boolean ok) {
        long now = System.nanoTime();
        inFlight.decrement();
        int k = kind.ordinal();
        count[k].increment();
        if (ok) {
            bytes[k].add(byteCount);
        } else {
            errors[k].increment();
        }
        latency.record(now - startNanos);
    }

    /** An operation was refused before submission (bad alignment, closed file, ...). */
    public void rejected(OpKind kind) {
        int k = kind.ordinal();
        count[k].increment();
        errors[k].increment();
    }

    /**
     * One system call made to run operations, which handed {@code ops} operations to the kernel: 0
     * for a call that only waited for completions (it counts as a system call, not in the mean
     * batch).
     */
    public void systemCall(int ops) {
        systemCalls.increment();
        if (ops > 0) {
            submitCalls.increment();
            submittedOps.add(ops);
        }
    }

    /** The operations in flight now. */
    public long inFlight() {
        return inFlight.sum();
    }

    public DiskIoStats snapshot() {
        Map<OpKind, DiskIoStats.OpStats> ops = new EnumMap<>(OpKind.class);
        for (OpKind kind : KINDS) {
            int k = kind.ordinal();
            ops.put(kind, new DiskIoStats.OpStats(count[k].sum(), bytes[k].sum(), errors[k].sum()));
        }
        return new DiskIoStats(provider, ops, systemCalls.sum(), submitCalls.sum(), submittedOps.sum(), inFlight.sum(), latency.summary());
    }
}
