package dev.logcore.io.uring.ffi;

import dev.logcore.io.uring.UringProvider;

/**
 * The {@code uring-ffi} provider: the shared ring engine over {@link FfiRing}, which reaches the
 * kernel through jnr-ffi alone (libc's {@code syscall}, {@code mmap} and a few descriptor calls), so
 * it runs wherever the JVM and the kernel's io_uring do, with no native library of the project's.
 * Settings are the io_uring ones both providers share (docs/URING.md); see docs/URING-FFI.md.
 *
 * <p>JVMs that load it should run with {@code --sun-misc-unsafe-memory-access=allow} (jnr-ffi's
 * jffi layer uses {@code sun.misc.Unsafe}) and {@code --enable-native-access=ALL-UNNAMED}.
 */
public final class UringFfiProvider extends UringProvider {
    /** The provider's name. */
    public static final String NAME = "uring-ffi";

    public UringFfiProvider() {
        super(NAME, 200, "io_uring through jnr-ffi, rings mapped and driven from Java (no native library of its own)", FfiRing::open);
    }

    @Override
    protected String unreachableReason() {
        try {
            Throwable failure = Syscalls.loadFailure();
            return failure == null ? null : "uring-ffi cannot reach libc through jnr-ffi: " + Syscalls.describe(failure);
        } catch (LinkageError e) { // jnr-ffi or jffi missing from the class path, or its native stub not loadable
            return "jnr-ffi is not loadable: " + e;
        }
    }

    @Override
    protected String availableReason(String probed) {
        return probed + ", through jnr-ffi";
    }
}
