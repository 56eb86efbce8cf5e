package dev.logcore.log;

import java.util.concurrent.CompletableFuture;

/**
 * One append waiting for its policy: the record, its encoded size, and the future the producer
 * holds (this object, to spare an allocation per record). Only the partition completes it.
 */
final class PendingAppend extends CompletableFuture<Long> {
    final Record record;
    final int size;

    PendingAppend(Record record, int size) {
        this.record = record;
        this.size = size;
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
