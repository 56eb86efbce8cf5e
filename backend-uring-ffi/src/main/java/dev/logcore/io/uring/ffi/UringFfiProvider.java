package dev.logcore.io.uring.ffi;

import dev.logcore.io.Availability;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.DiskIoException;
import dev.logcore.io.DiskIoProvider;
import dev.logcore.io.Errno;
import dev.logcore.io.OpKind;
import dev.logcore.io.ProviderVariant;
import dev.logcore.io.uring.RingEngine;
import dev.logcore.io.uring.UringProbe;
import dev.logcore.io.uring.UringSettings;
import java.util.List;

/**
 * The {@code uring-ffi} provider: the shared ring engine over {@link FfiRing}, which reaches the
 * kernel through jnr-ffi alone (libc's {@code syscall}, {@code mmap} and a few descriptor calls), so
 * it runs wherever the JVM and the kernel's io_uring do, with no native library of the project's.
 * Settings are the io_uring ones both providers share (docs/URING.md); see docs/URING-FFI.md.
 *
 * <p>JVMs that load it should run with {@code --sun-misc-unsafe-memory-access=allow} (jnr-ffi's
 * jffi layer uses {@code sun.misc.Unsafe}) and {@code --enable-native-access=ALL-UNNAMED}.
 */
public final class UringFfiProvider implements DiskIoProvider {
    /** The provider's name. */
    public static final String NAME = "uring-ffi";

    private volatile Availability cached;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "io_uring through jnr-ffi, rings mapped and driven from Java (no native library of its own)";
    }

    @Override
    public int preference() {
        return 200;
    }

    @Override
    public Availability probe() {
        Availability a = cached;
        if (a == null) {
            a = probeUncached();
            cached = a;
        }
        return a;
    }

    private static Availability probeUncached() {
        try {
            Throwable failure = Syscalls.loadFailure();
            if (failure != null) {
                return Availability.unavailable("uring-ffi cannot reach libc through jnr-ffi: " + Syscalls.describe(failure));
            }
        } catch (LinkageError e) { // jnr-ffi or jffi missing from the class path, or its native stub not loadable
            return Availability.unavailable("jnr-ffi is not loadable: " + e);
        }
        Availability a = UringProbe.probe(FfiRing::open);
        return a.available() ? Availability.available(a.reason() + ", through jnr-ffi") : a;
    }

    @Override
    public Availability probe(DiskIoConfig config) {
        Availability plain = probe();
        return plain.available() ? UringProbe.probe(FfiRing::open, NAME, config) : plain;
    }

    @Override
    public List<ProviderVariant> variants() {
        return UringSettings.VARIANTS;
    }

    @Override
    public DiskIo open(DiskIoConfig config) throws DiskIoException {
        Availability a = probe();
        if (!a.available()) {
            throw new DiskIoException(OpKind.OPEN, null, Errno.ENOSYS, "uring-ffi is not available here: " + a.reason());
        }
        return RingEngine.open(NAME, config, FfiRing::open);
    }
}
