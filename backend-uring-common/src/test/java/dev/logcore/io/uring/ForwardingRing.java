package dev.logcore.io.uring;

import java.lang.foreign.MemorySegment;

/**
 * A {@link KernelRing} that passes every call to another, for test rings that change one or two
 * calls (as Guava's Forwarding* classes do): a subclass overrides only what it changes.
 */
abstract class ForwardingRing implements KernelRing {
    protected final KernelRing delegate;

    ForwardingRing(KernelRing delegate) {
        this.delegate = delegate;
    }

    @Override
    public RingInfo info() {
        return delegate.info();
    }

    @Override
    public MemorySegment sqes() {
        return delegate.sqes();
    }

    @Override
    public int sqSpace() {
        return delegate.sqSpace();
    }

    @Override
    public long sqeOffset(int i) {
        return delegate.sqeOffset(i);
    }

    @Override
    public MemorySegment cqes() {
        return delegate.cqes();
    }

    @Override
    public int submitAndReap(int count, int minComplete) {
        return delegate.submitAndReap(count, minComplete);
    }

    @Override
    public long enterCalls() {
        return delegate.enterCalls();
    }

    @Override
    public void registerBuffers(MemorySegment[] regions) throws RingException {
        delegate.registerBuffers(regions);
    }

    @Override
    public void registerFiles(int slots) throws RingException {
        delegate.registerFiles(slots);
    }

    @Override
    public int wakeFd() {
        return delegate.wakeFd();
    }

    @Override
    public void wake() {
        delegate.wake();
    }

    @Override
    public int openFile(MemorySegment path, int flags, int mode) {
        return delegate.openFile(path, flags, mode);
    }

    @Override
    public int closeFile(int fd) {
        return delegate.closeFile(fd);
    }

    @Override
    public int truncate(int fd, long length) {
        return delegate.truncate(fd, length);
    }

    @Override
    public int fallocate(int fd, int mode, long offset, long length) {
        return delegate.fallocate(fd, mode, offset, length);
    }

    @Override
    public long fileSize(int fd) {
        return delegate.fileSize(fd);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
