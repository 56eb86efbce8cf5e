package dev.logcore.io.uring.jni;

import dev.logcore.io.uring.KernelRing;
import dev.logcore.io.uring.UringProvider;

/**
 * The {@code uring-jni} provider: the shared ring engine over a small C shim on liburing (linked
 * statically, so running needs no liburing shared library). Settings: see docs/URING.md
 * ({@code uring.entries}, {@code uring.sqpoll}, {@code uring.registeredBuffers},
 * {@code uring.registeredFiles}, ...).
 */
public final class UringJniProvider extends UringProvider {
    /** The provider's name. */
    public static final String NAME = "uring-jni";

    public UringJniProvider() {
        super(NAME, 300, "io_uring through JNI and liburing (batched submission, registered buffers and files)", NativeRing::open);
    }

    @Override
    protected String unreachableReason() {
        NativeLibrary.Result lib = NativeLibrary.result();
        return lib.loaded() ? null : lib.reason();
    }

    /**
     * The provider's way to the kernel on its own, without an engine: for benchmarks that measure
     * the crossing itself (one {@code submitAndReap} through JNI). Applications use {@link #open}.
     */
    public static KernelRing.Factory kernelRings() {
        return NativeRing::open;
    }
}
