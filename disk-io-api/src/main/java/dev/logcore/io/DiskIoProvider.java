package dev.logcore.io;

import java.util.List;

/**
 * A way of doing disk I/O, found with {@link java.util.ServiceLoader}: list the implementing class
 * in {@code META-INF/services/dev.logcore.io.DiskIoProvider}. See {@code docs/SPI.md} for the whole
 * contract a provider keeps; the conformance suite checks it.
 *
 * <p>Implementations must have a public no-argument constructor that does no I/O and loads no
 * native code; all of that belongs in {@link #probe()} and {@link #open(DiskIoConfig)}.
 */
public interface DiskIoProvider {

    /** The stable name users select it by, such as {@code nio} or {@code uring-jni}. */
    String name();

    /** One line saying what it is, for listings. */
    String description();

    /**
     * How much {@code auto} prefers this provider when it is available: the highest wins. The
     * built-in ones use 100 ({@code nio}), 200 ({@code uring-ffi}) and 300 ({@code uring-jni}).
     */
    int preference();

    /**
     * Whether the provider can run here. Never throws and never crashes the JVM: a missing native
     * library, a kernel without the feature, a sysctl or a seccomp filter are reported as an
     * unavailable answer with a reason. May be slow the first time (it can try the feature); the
     * answer may be cached.
     */
    Availability probe();

    /**
     * Whether the provider can run with the given settings here (SQPOLL may be refused where the
     * plain ring works, for instance). The default asks {@link #probe()} alone.
     */
    default Availability probe(DiskIoConfig config) {
        return probe();
    }

    /**
     * The configurations worth testing on their own; the conformance suite runs each. At least one,
     * usually starting with {@link ProviderVariant#plain()}.
     */
    default List<ProviderVariant> variants() {
        return List.of(ProviderVariant.plain());
    }

    /**
     * Makes an engine.
     *
     * @throws DiskIoException if the engine cannot be made here (the reason names the errno)
     * @throws IllegalArgumentException if a setting is malformed
     */
    DiskIo open(DiskIoConfig config) throws DiskIoException;
}
