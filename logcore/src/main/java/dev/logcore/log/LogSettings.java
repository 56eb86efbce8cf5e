package dev.logcore.log;

import dev.logcore.log.format.BatchFormat;
import dev.logcore.log.format.RecordFormat;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of a log, the same for every partition. Immutable; build with {@link #builder()} or
 * read from string settings with {@link #fromMap(Map)} (keys are the builder's method names).
 *
 * @param durability when an append is acknowledged (default {@link Durability#DURABLE})
 * @param syncInterval how often {@link Durability#INTERVAL} syncs (default 50 ms)
 * @param maxBatchRecords the most records in one batch (default 16,384)
 * @param maxBatchBytes the most bytes in one batch, header included; also bounds one record
 *     (default 1 MiB)
 * @param linger how long an open batch waits for more records when the disk is free (default 0:
 *     group commit comes from appends that arrive while the previous batch is on its way)
 * @param maxPendingAppends the bound of each partition's queue of appends not yet in a batch
 *     (default 65,536; rounded up to a power of two); past it appends fail fast
 * @param maxInFlightBatches batches written (and synced) at once per partition (default 2: while
 *     one batch syncs the next is written; more in flight means more, smaller batches)
 * @param segmentBytes a segment is sealed before it would grow past this (default 1 GiB)
 * @param segmentAge a segment is sealed at the first append once it has held batches for this
 *     long, by the wall clock since its first batch was written (or since it was reopened holding
 *     some); record timestamps play no part (default 7 days)
 * @param indexIntervalBytes bytes of log between two index entries (default 4 KiB)
 * @param retentionAge sealed segments whose newest record is older are deleted; {@code null} keeps
 *     them (default)
 * @param retentionBytes sealed segments are deleted, oldest first, while the partition is larger;
 *     -1 keeps them (default)
 * @param retentionCheckInterval how often retention runs on its own (default 5 minutes)
 * @param verifySealedOnOpen whether opening a partition checks every batch of its sealed segments
 *     too (default false: their footers and indexes are checked, the batches when read)
 */
public record LogSettings(
        Durability durability,
        Duration syncInterval,
        int maxBatchRecords,
        int maxBatchBytes,
        Duration linger,
        int maxPendingAppends,
        int maxInFlightBatches,
        int segmentBytes,
        Duration segmentAge,
        int indexIntervalBytes,
        Duration retentionAge,
        long retentionBytes,
        Duration retentionCheckInterval,
        boolean verifySealedOnOpen) {

    /** The smallest segment size: a few batches of small records. */
    public static final int MIN_SEGMENT_BYTES = 1024;
    /** The largest segment size: positions are 32-bit. */
    public static final int MAX_SEGMENT_BYTES = 1 << 30;
    /** The smallest batch limit: one empty record. */
    public static final int MIN_BATCH_BYTES = BatchFormat.HEADER_SIZE + RecordFormat.OVERHEAD;

    public LogSettings {
        Objects.requireNonNull(durability, "durability");
        positive(syncInterval, "syncInterval");
        range(maxBatchRecords, 1, 1 << 20, "maxBatchRecords");
        range(maxBatchBytes, MIN_BATCH_BYTES, BatchFormat.MAX_BATCH_SIZE, "maxBatchBytes");
        Objects.requireNonNull(linger, "linger");
        if (linger.isNegative()) {
            throw new IllegalArgumentException("setting linger must not be negative: " + linger);
        }
        range(maxPendingAppends, 1, 1 << 24, "maxPendingAppends");
        range(maxInFlightBatches, 1, 64, "maxInFlightBatches");
        range(segmentBytes, MIN_SEGMENT_BYTES, MAX_SEGMENT_BYTES, "segmentBytes");
        positive(segmentAge, "segmentAge");
        range(indexIntervalBytes, 1, MAX_SEGMENT_BYTES, "indexIntervalBytes");
        if (retentionAge != null) {
            positive(retentionAge, "retentionAge");
        }
        if (retentionBytes < -1) {
            throw new IllegalArgumentException("setting retentionBytes=" + retentionBytes + ": use -1 for no limit");
        }
        positive(retentionCheckInterval, "retentionCheckInterval");
    }

    private static void range(long v, long min, long max, String name) {
        if (v < min || v > max) {
            throw new IllegalArgumentException("setting " + name + "=" + v + " is outside [" + min + ", " + max + "]");
        }
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("setting " + name + " must be positive: " + d);
        }
    }

    /** The defaults. */
    public static LogSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.durability = durability;
        b.syncInterval = syncInterval;
        b.maxBatchRecords = maxBatchRecords;
        b.maxBatchBytes = maxBatchBytes;
        b.linger = linger;
        b.maxPendingAppends = maxPendingAppends;
        b.maxInFlightBatches = maxInFlightBatches;
        b.segmentBytes = segmentBytes;
        b.segmentAge = segmentAge;
        b.indexIntervalBytes = indexIntervalBytes;
        b.retentionAge = retentionAge;
        b.retentionBytes = retentionBytes;
        b.retentionCheckInterval = retentionCheckInterval;
        b.verifySealedOnOpen = verifySealedOnOpen;
        return b;
    }

    /**
     * Settings from strings, keys named like the builder's methods: {@code durability}
     * (durable|interval|none), durations in milliseconds ({@code syncIntervalMs}, {@code lingerMs},
     * {@code segmentAgeMs}, {@code retentionAgeMs}, {@code retentionCheckIntervalMs}), the rest
     * numbers or true/false. Unknown keys are an error (a typo must not pass silently).
     */
    public static LogSettings fromMap(Map<String, String> m) {
        Builder b = builder();
        for (Map.Entry<String, String> e : m.entrySet()) {
            String v = e.getValue().trim();
            try {
                switch (e.getKey()) {
                    case "durability" -> b.durability(Durability.parse(v));
                    case "syncIntervalMs" -> b.syncInterval(Duration.ofMillis(Long.parseLong(v)));
                    case "maxBatchRecords" -> b.maxBatchRecords(Integer.parseInt(v));
                    case "maxBatchBytes" -> b.maxBatchBytes(Integer.parseInt(v));
                    case "lingerMs" -> b.linger(Duration.ofMillis(Long.parseLong(v)));
                    case "maxPendingAppends" -> b.maxPendingAppends(Integer.parseInt(v));
                    case "maxInFlightBatches" -> b.maxInFlightBatches(Integer.parseInt(v));
                    case "segmentBytes" -> b.segmentBytes(Integer.parseInt(v));
                    case "segmentAgeMs" -> b.segmentAge(Duration.ofMillis(Long.parseLong(v)));
                    case "indexIntervalBytes" -> b.indexIntervalBytes(Integer.parseInt(v));
                    case "retentionAgeMs" -> b.retentionAge(Long.parseLong(v) < 0 ? null : Duration.ofMillis(Long.parseLong(v)));
                    case "retentionBytes" -> b.retentionBytes(Long.parseLong(v));
                    case "retentionCheckIntervalMs" -> b.retentionCheckInterval(Duration.ofMillis(Long.parseLong(v)));
                    case "verifySealedOnOpen" -> b.verifySealedOnOpen(Boolean.parseBoolean(v));
                    default -> throw new IllegalArgumentException("unknown log setting '" + e.getKey() + "'");
                }
            } catch (NumberFormatException nfe) {
                throw new IllegalArgumentException("log setting " + e.getKey() + "=" + v + " is not a number");
            }
        }
        return b.build();
    }

    /** The most bytes one batch takes: a batch never outgrows a segment. */
    public int batchCapacity() {
        return Math.max(MIN_BATCH_BYTES, Math.min(maxBatchBytes, segmentBytes));
    }

    /** The largest record (encoded) a batch can hold. */
    public int maxRecordBytes() {
        return batchCapacity() - BatchFormat.HEADER_SIZE;
    }

    public static final class Builder {
        private Durability durability = Durability.DURABLE;
        private Duration syncInterval = Duration.ofMillis(50);
        private int maxBatchRecords = 16384;
        private int maxBatchBytes = 1 << 20;
        private Duration linger = Duration.ZERO;
        private int maxPendingAppends = 65536;
        private int maxInFlightBatches = 2;
        private int segmentBytes = 1 << 30;
        private Duration segmentAge = Duration.ofDays(7);
        private int indexIntervalBytes = 4096;
        private Duration retentionAge;
        private long retentionBytes = -1;
        private Duration retentionCheckInterval = Duration.ofMinutes(5);
        private boolean verifySealedOnOpen;

        public Builder durability(Durability v) { durability = v; return this; }
        public Builder syncInterval(Duration v) { syncInterval = v; return this; }
        public Builder maxBatchRecords(int v) { maxBatchRecords = v; return this; }
        public Builder maxBatchBytes(int v) { maxBatchBytes = v; return this; }
        public Builder linger(Duration v) { linger = v; return this; }
        public Builder maxPendingAppends(int v) { maxPendingAppends = v; return this; }
        public Builder maxInFlightBatches(int v) { maxInFlightBatches = v; return this; }
        public Builder segmentBytes(int v) { segmentBytes = v; return this; }
        public Builder segmentAge(Duration v) { segmentAge = v; return this; }
        public Builder indexIntervalBytes(int v) { indexIntervalBytes = v; return this; }
        public Builder retentionAge(Duration v) { retentionAge = v; return this; }
        public Builder retentionBytes(long v) { retentionBytes = v; return this; }
        public Builder retentionCheckInterval(Duration v) { retentionCheckInterval = v; return this; }
        public Builder verifySealedOnOpen(boolean v) { verifySealedOnOpen = v; return this; }

        public LogSettings build() {
            return new LogSettings(durability, syncInterval, maxBatchRecords, maxBatchBytes, linger, maxPendingAppends,
                    maxInFlightBatches, segmentBytes, segmentAge, indexIntervalBytes, retentionAge, retentionBytes,
                    retentionCheckInterval, verifySealedOnOpen);
        }
    }
}
