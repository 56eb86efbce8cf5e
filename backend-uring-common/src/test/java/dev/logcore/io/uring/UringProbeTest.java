package dev.logcore.io.uring;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.Availability;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** The reasons a person reads when io_uring cannot run; the probe never throws. */
class UringProbeTest {

    private static Availability probeFailingWith(int errno) {
        return UringProbe.probe(setup -> {
            throw new RingException("io_uring_setup", errno);
        });
    }

    @Test
    void enosysSaysTheKernelHasNoIoUring() {
        Availability a = probeFailingWith(38);
        assertFalse(a.available());
        assertTrue(a.reason().contains("ENOSYS") && a.reason().contains("no io_uring"), a.reason());
    }

    @Test
    void epermNamesSeccompAndDocker() {
        Availability a = probeFailingWith(1);
        assertFalse(a.available());
        assertTrue(a.reason().contains("EPERM") && a.reason().contains("seccomp") && a.reason().contains("Docker"), a.reason());
    }

    @Test
    void theSysctlIsReadAndExplained() {
        assertTrue(UringProbe.sysctlReason(2).contains("kernel.io_uring_disabled=2"));
        assertNull(UringProbe.sysctlReason(0));
        assertNull(UringProbe.sysctlReason(-1), "no sysctl (before Linux 6.6): nothing to say");
    }

    @Test
    void aKernelWithoutProbeOrWithoutEssentialOpcodesIsTooOld() {
        FakeRing.Kernel k = new FakeRing.Kernel();
        k.supported.clear(Sqe.OP_ASYNC_CANCEL);
        Availability a = UringProbe.probe(k::open);
        assertFalse(a.available());
        assertTrue(a.reason().contains("ASYNC_CANCEL"), a.reason());
        Availability none = UringProbe.probe(setup -> new FakeRing.Kernel().open(setup) instanceof KernelRing r
                ? new NoProbeRing(r) : null);
        assertFalse(none.available());
        assertTrue(none.reason().contains("5.6"), none.reason());
    }

    @Test
    void anythingThrownByTheProviderBecomesAReason() {
        Availability a = UringProbe.probe(setup -> {
            throw new UnsatisfiedLinkError("no lib");
        });
        assertFalse(a.available());
        assertTrue(a.reason().contains("no lib"), a.reason());
    }

    /** A ring whose kernel answered the probe with EINVAL. */
    private record NoProbeRing(KernelRing r) implements KernelRing {
        @Override
        public RingInfo info() {
            RingInfo i = r.info();
            return new RingInfo(i.sqEntries(), i.cqEntries(), i.cqeCapacity(), i.setupFlags(), i.features(), (BitSet) null);
        }

        @Override
        public java.lang.foreign.MemorySegment sqes() {
            return r.sqes();
        }

        @Override
        public int sqSpace() {
            return r.sqSpace();
        }

        @Override
        public long sqeOffset(int i) {
            return r.sqeOffset(i);
        }

        @Override
        public java.lang.foreign.MemorySegment cqes() {
            return r.cqes();
        }

        @Override
        public int submitAndReap(int count, int minComplete) {
            return r.submitAndReap(count, minComplete);
        }

        @Override
        public long enterCalls() {
            return r.enterCalls();
        }

        @Override
        public void registerBuffers(java.lang.foreign.MemorySegment[] regions) throws RingException {
            r.registerBuffers(regions);
        }

        @Override
        public void registerFiles(int slots) throws RingException {
            r.registerFiles(slots);
        }

        @Override
        public int wakeFd() {
            return r.wakeFd();
        }

        @Override
        public void wake() {
            r.wake();
        }

        @Override
        public int openFile(java.lang.foreign.MemorySegment path, int flags, int mode) {
            return r.openFile(path, flags, mode);
        }

        @Override
        public int closeFile(int fd) {
            return r.closeFile(fd);
        }

        @Override
        public int truncate(int fd, long length) {
            return r.truncate(fd, length);
        }

        @Override
        public int fallocate(int fd, int mode, long offset, long length) {
            return r.fallocate(fd, mode, offset, length);
        }

        @Override
        public long fileSize(int fd) {
            return r.fileSize(fd);
        }

        @Override
        public void close() {
            r.close();
        }
    }
}
