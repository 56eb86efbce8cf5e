package dev.logcore.io.uring;

import dev.logcore.io.Availability;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.DiskIoException;
import dev.logcore.io.DiskIoProvider;
import dev.logcore.io.Errno;
import dev.logcore.io.OpKind;
import dev.logcore.io.ProviderVariant;
import java.util.List;

/**
 * What both io_uring providers are: the shared engine over their own {@link KernelRing.Factory},
 * probed once (the ring setup, the opcode probe) and refused with that reason when unavailable. A
 * provider brings only its way to the kernel and why that way may be missing.
 */
public abstract class UringProvider implements DiskIoProvider {
    private final String name;
    private final int preference;
    private final String description;
    private final KernelRing.Factory rings;
    private volatile Availability cached;

    protected UringProvider(String name, int preference, String description, KernelRing.Factory rings) {
        this.name = name;
        this.preference = preference;
        this.description = description;
        this.rings = rings;
    }

    /** Why this provider's way to the kernel cannot be used (a library that does not load), or null. */
    protected abstract String unreachableReason();

    /** The reason an available probe gives; providers may add how they reach the kernel. */
    protected String availableReason(String probed) {
        return probed;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final int preference() {
        return preference;
    }

    @Override
    public final Availability probe() {
        Availability a = cached;
        if (a == null) {
            String unreachable = unreachableReason();
            if (unreachable != null) {
                a = Availability.unavailable(unreachable);
            } else {
                Availability ring = UringProbe.probe(rings);
                a = ring.available() ? Availability.available(availableReason(ring.reason())) : ring;
            }
            cached = a;
        }
        return a;
    }

    @Override
    public final Availability probe(DiskIoConfig config) {
        Availability plain = probe();
        return plain.available() ? UringProbe.probe(rings, name, config) : plain;
    }

    @Override
    public final List<ProviderVariant> variants() {
        return UringSettings.VARIANTS;
    }

    @Override
    public final DiskIo open(DiskIoConfig config) throws DiskIoException {
        Availability a = probe();
        if (!a.available()) {
            throw new DiskIoException(OpKind.OPEN, null, Errno.ENOSYS, name + " is not available here: " + a.reason());
        }
        return RingEngine.open(name, config, rings);
    }
}
