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
    private static final class NoProbeRing extends ForwardingRing {
        NoProbeRing(KernelRing r) {
            super(r);
        }

        @Override
        public RingInfo info() {
            RingInfo i = delegate.info();
            return new RingInfo(i.sqEntries(), i.cqEntries(), i.cqeCapacity(), i.setupFlags(), i.features(), (BitSet) null);
        }
    }
}
