package dev.logcore.io.uring;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link KernelRing} around another that counts every {@code submitAndReap} (including the ones
 * that only poll) and keeps the largest number of SQEs one call handed over.
 */
final class CountingRing extends ForwardingRing {
    private final AtomicLong calls;
    private final AtomicInteger maxBatch;

    CountingRing(KernelRing k, AtomicLong calls, AtomicInteger maxBatch) {
        super(k);
        this.calls = calls;
        this.maxBatch = maxBatch;
    }

    @Override
    public int submitAndReap(int count, int minComplete) {
        calls.incrementAndGet();
        maxBatch.accumulateAndGet(count, Math::max);
        return delegate.submitAndReap(count, minComplete);
    }
}
