package dev.logcore.log;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One append waiting for its policy: one record, or a group of records that go into one batch
 * together ({@link PartitionLog#appendAll}); their encoded size; and the future the producer holds
 * (this object, to spare an allocation per append), which completes with the offset of the (first)
 * record. Only the partition completes it.
 */
final class PendingAppend extends CompletableFuture<Long> {
    /** The record, or null for a group. */
    final Record record;
    /** The group, or null for one record. */
    final List<Record> records;
    /** Encoded bytes of the record or of the whole group. */
    final int size;
    /** Records carried: 1, or the group's size. */
    final int count;

    PendingAppend(Record record, int size) {
        this.record = record;
        this.records = null;
        this.size = size;
        this.count = 1;
    }

    PendingAppend(List<Record> records, int size) {
        this.record = null;
        this.records = records;
        this.size = size;
        this.count = records.size();
    }

    void ack(long offset) {
        super.complete(offset);
    }

    void fail(Throwable error) {
        super.completeExceptionally(error);
    }

    @Override
    public boolean complete(Long value) {
        throw new UnsupportedOperationException("only the log completes an append");
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        throw new UnsupportedOperationException("only the log completes an append");
    }

    @Override
    public void obtrudeValue(Long value) {
        throw new UnsupportedOperationException("only the log completes an append");
    }

    @Override
    public void obtrudeException(Throwable ex) {
        throw new UnsupportedOperationException("only the log completes an append");
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
