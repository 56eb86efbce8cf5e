package dev.logcore.log;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A named set of partitions. Records are routed by key ({@link Partitioner}); each partition is
 * an independent {@link PartitionLog} with its own writer.
 */
public final class Topic implements AutoCloseable {
    private final String name;
    private final List<PartitionLog> partitions;
    private final Partitioner partitioner;

    Topic(String name, List<PartitionLog> partitions) {
        this.name = name;
        this.partitions = List.copyOf(partitions);
        this.partitioner = new Partitioner(partitions.size());
    }

    public String name() {
        return name;
    }

    public int partitionCount() {
        return partitions.size();
    }

    /** Partition {@code i}. */
    public PartitionLog partition(int i) {
        if (i < 0 || i >= partitions.size()) {
            throw new IndexOutOfBoundsException("topic " + name + " has partitions 0.." + (partitions.size() - 1) + ", not " + i);
        }
        return partitions.get(i);
    }

    public List<PartitionLog> partitions() {
        return partitions;
    }

    /** The partition a record with {@code key} goes to (keyless: round-robin). */
    public int partitionFor(byte[] key) {
        return partitioner.partitionFor(key);
    }

    /** Appends to the partition the key picks; see {@link PartitionLog#append}. */
    public CompletableFuture<AppendResult> append(Record record) {
        int p = partitioner.partitionFor(record.key());
        return partitions.get(p).append(record).thenApply(off -> new AppendResult(p, off));
    }

    @Override
    public void close() {
        for (PartitionLog p : partitions) {
            p.close();
        }
    }

    @Override
    public String toString() {
        return "Topic[" + name + ", " + partitions.size() + " partitions]";
    }
}
