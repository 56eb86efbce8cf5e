package dev.logcore.log;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks a record's partition: a key by its murmur2 hash (the same function and arithmetic as
 * Kafka's default partitioner, so a key lands on the partition a Kafka producer would pick), so one
 * key always goes to one partition and keeps its order; records without a key round-robin, which
 * spreads them evenly.
 */
public final class Partitioner {
    private final int partitions;
    private final AtomicInteger next = new AtomicInteger();

    public Partitioner(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("a topic needs at least one partition: " + partitions);
        }
        this.partitions = partitions;
    }

    /** The partition for {@code key} ({@code null}: the next in round-robin order). */
    public int partitionFor(byte[] key) {
        if (key == null) {
            return Math.floorMod(next.getAndIncrement(), partitions);
        }
        return (murmur2(key) & 0x7fffffff) % partitions;
    }

    /** Kafka's murmur2 (seed 0x9747b28c), as in org.apache.kafka.common.utils.Utils. */
    public static int murmur2(byte[] data) {
        int length = data.length;
        int seed = 0x9747b28c;
        final int m = 0x5bd1e995;
        final int r = 24;
        int h = seed ^ length;
        int length4 = length / 4;
        for (int i = 0; i < length4; i++) {
            final int i4 = i * 4;
            int k = (data[i4] & 0xff) + ((data[i4 + 1] & 0xff) << 8) + ((data[i4 + 2] & 0xff) << 16) + ((data[i4 + 3] & 0xff) << 24);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        switch (length % 4) {
            case 3:
                h ^= (data[(length & ~3) + 2] & 0xff) << 16;
                // fall through
            case 2:
                h ^= (data[(length & ~3) + 1] & 0xff) << 8;
                // fall through
            case 1:
                h ^= data[length & ~3] & 0xff;
                h *= m;
                break;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;
        return h;
    }
}
