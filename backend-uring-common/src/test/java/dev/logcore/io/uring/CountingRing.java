package dev.logcore.io.uring;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link KernelRing} around another that counts every {@code submitAndReap} (including the ones
 * that only poll) and keeps the largest number of SQEs one call handed over.
 */
record CountingRing(KernelRing k, AtomicLong calls, AtomicInteger maxBatch) implements KernelRing {
    @Override
    public RingInfo info() {
        return k.info();
    }

    @Override
    public MemorySegment sqes() {
        return k.sqes();
    }

    @Override
    public int sqSpace() {
        return k.sqSpace();
    }

    @Override
    public long sqeOffset(int i) {
        return k.sqeOffset(i);
    }

    @Override
    public MemorySegment cqes() {
        return k.cqes();
    }

    @Override
    public int submitAndReap(int count, int minComplete) {
        calls.incrementAndGet();
        maxBatch.accumulateAndGet(count, Math::max);
        return k.submitAndReap(count, minComplete);
    }

    @Override
    public long enterCalls() {
        return k.enterCalls();
    }

    @Override
    public void registerBuffers(MemorySegment[] regions) throws RingException {
        k.registerBuffers(regions);
    }

    @Override
    public void registerFiles(int slots) throws RingException {
        k.registerFiles(slots);
    }

    @Override
    public int wakeFd() {
        return k.wakeFd();
    }

    @Override
    public void wake() {
        k.wake();
    }

    @Override
    public int openFile(MemorySegment path, int flags, int mode) {
        return k.openFile(path, flags, mode);
    }

    @Override
    public int closeFile(int fd) {
        return k.closeFile(fd);
    }

    @Override
    public int truncate(int fd, long length) {
        return k.truncate(fd, length);
    }

    @Override
    public int fallocate(int fd, int mode, long offset, long length) {
        return k.fallocate(fd, mode, offset, length);
    }

    @Override
    public long fileSize(int fd) {
        return k.fileSize(fd);
    }

    @Override
    public void close() {
        k.close();
    }
}
