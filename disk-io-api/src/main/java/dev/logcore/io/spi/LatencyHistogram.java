package dev.logcore.io.spi;

import dev.logcore.io.DiskIoStats;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lock-free log-linear histogram of nanosecond latencies (16 sub-buckets per power of two, so
 * about 6% relative precision), cheap enough to record every operation from any thread.
 *
 * <p>Written by hand rather than taken from HdrHistogram because disk-io-api depends on nothing but
 * the JDK; what it needs is a few dozen lines.
 */
public final class LatencyHistogram {
    private static final int SUB_BITS = 4;
    private static final int SUB = 1 << SUB_BITS;
    private static final int BUCKETS = SUB + (64 - SUB_BITS) * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAdder total = new LongAdder();
    private final LongAdder sum = new LongAdder();
    private volatile long max;

    /** Records one value; negative values count as zero. */
    public void record(long nanos) {
        long v = Math.max(0, nanos);
        counts.incrementAndGet(index(v));
        total.increment();
        sum.add(v);
        long m = max;
        while (v > m) {
            // A lost race only means another thread stored a value at least as large.
            max = v;
            m = max;
        }
    }

    static int index(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int exp = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) ((v >>> (exp - SUB_BITS)) & (SUB - 1));
        return SUB + (exp - SUB_BITS) * SUB + sub;
    }

    /** The smallest value that falls into bucket {@code i}. */
    static long lowerBound(int i) {
        if (i < SUB) {
            return i;
        }
        int exp = (i - SUB) / SUB + SUB_BITS;
        int sub = (i - SUB) % SUB;
        return (1L << exp) | ((long) sub << (exp - SUB_BITS));
    }

    /** The value at quantile {@code q} (0..1): the middle of its bucket, clamped to the maximum. */
    public long valueAt(double q) {
        long n = total.sum();
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * n));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                long lo = lowerBound(i);
                long hi = i + 1 < BUCKETS ? lowerBound(i + 1) : Long.MAX_VALUE;
                return Math.min(lo + (hi - lo) / 2, max);
            }
        }
        return max;
    }

    /** A summary for {@link DiskIoStats}. */
    public DiskIoStats.Latency summary() {
        long n = total.sum();
        return new DiskIoStats.Latency(n, n == 0 ? 0 : (double) sum.sum() / n,
                valueAt(0.50), valueAt(0.99), valueAt(0.999), max);
    }
}
