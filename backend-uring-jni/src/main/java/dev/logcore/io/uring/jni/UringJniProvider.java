package dev.logcore.io.uring.jni;

import dev.logcore.io.Availability;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.DiskIoException;
import dev.logcore.io.DiskIoProvider;
import dev.logcore.io.Errno;
import dev.logcore.io.OpKind;
import dev.logcore.io.ProviderVariant;
import dev.logcore.io.uring.KernelRing;
import dev.logcore.io.uring.RingEngine;
import dev.logcore.io.uring.UringProbe;
import dev.logcore.io.uring.UringSettings;
import java.util.List;

/**
 * The {@code uring-jni} provider: the shared ring engine over a small C shim on liburing (linked
 * statically, so running needs no liburing shared library). Settings: see docs/URING.md
 * ({@code uring.entries}, {@code uring.sqpoll}, {@code uring.registeredBuffers},
 * {@code uring.registeredFiles}, ...).
 */
public final class UringJniProvider implements DiskIoProvider {
    /** The provider's name. */
    public static final String NAME = "uring-jni";

    private volatile Availability cached;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "io_uring through JNI and liburing (batched submission, registered buffers and files)";
    }

    @Override
    public int preference() {
        return 300;
    }

    @Override
    public Availability probe() {
        Availability a = cached;
        if (a == null) {
            NativeLibrary.Result lib = NativeLibrary.result();
            a = lib.loaded() ? UringProbe.probe(NativeRing::open) : Availability.unavailable(lib.reason());
            cached = a;
        }
        return a;
    }

    @Override
    public Availability probe(DiskIoConfig config) {
        Availability plain = probe();
        return plain.available() ? UringProbe.probe(NativeRing::open, NAME, config) : plain;
    }

    @Override
    public List<ProviderVariant> variants() {
        return UringSettings.VARIANTS;
    }

    /**
     * The provider's way to the kernel on its own, without an engine: for benchmarks that measure
     * the crossing itself (one {@code submitAndReap} through JNI). Applications use {@link #open}.
     */
    public static KernelRing.Factory kernelRings() {
        return NativeRing::open;
    }

    @Override
    public DiskIo open(DiskIoConfig config) throws DiskIoException {
        Availability a = probe();
        if (!a.available()) {
            throw new DiskIoException(OpKind.OPEN, null, Errno.ENOSYS, "uring-jni is not available here: " + a.reason());
        }
        return RingEngine.open(NAME, config, NativeRing::open);
    }
}
