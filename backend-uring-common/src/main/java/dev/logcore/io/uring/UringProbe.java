package dev.logcore.io.uring;

import dev.logcore.io.Availability;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.DiskIoException;
import dev.logcore.io.Errno;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The availability checks both io_uring providers share, once their own way of reaching the
 * kernel is there: the {@code kernel.io_uring_disabled} sysctl, then a real ring (ENOSYS: no
 * io_uring; EPERM: a seccomp filter or the sysctl), then the opcodes the engine cannot do without.
 * Never throws.
 */
public final class UringProbe {
    static final Path SYSCTL = Path.of("/proc/sys/kernel/io_uring_disabled");

    private UringProbe() {
    }

    /** Whether io_uring works here through {@code factory}. */
    public static Availability probe(KernelRing.Factory factory) {
        try {
            String sysctl = sysctlReason(readSysctl());
            if (sysctl != null) {
                return Availability.unavailable(sysctl);
            }
            KernelRing ring;
            try {
                ring = factory.open(new RingSetup(4, 8, 0, 0, 0));
            } catch (RingException e) {
                return Availability.unavailable(setupReason(e));
            }
            try {
                RingInfo info = ring.info();
                if (info.supportedOps() == null) {
                    return Availability.unavailable("the kernel is too old for io_uring here: it has no IORING_REGISTER_PROBE (Linux 5.6 or later is needed)");
                }
                StringBuilder missing = new StringBuilder();
                for (int op : new int[] {Sqe.OP_READV, Sqe.OP_WRITEV, Sqe.OP_FSYNC, Sqe.OP_ASYNC_CANCEL, Sqe.OP_TIMEOUT}) {
                    if (!info.supports(op)) {
                        missing.append(missing.length() == 0 ? "" : ", ").append("IORING_OP_").append(Sqe.opName(op));
                    }
                }
                if (missing.length() > 0) {
                    return Availability.unavailable("the kernel's io_uring lacks " + missing);
                }
                return Availability.available("io_uring on Linux " + kernelRelease() + ", "
                        + info.supportedOps().cardinality() + " opcodes");
            } finally {
                ring.close();
            }
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable("probing io_uring failed: " + e);
        }
    }

    /**
     * Whether an engine with these settings works here: the plain probe, then a real engine opened
     * and closed (so SQPOLL, registration and the flag negotiation are tried for real).
     */
    public static Availability probe(KernelRing.Factory factory, String provider, DiskIoConfig config) {
        Availability plain = probe(factory);
        if (!plain.available()) {
            return plain;
        }
        try {
            UringSettings s = UringSettings.of(config);
            RingEngine e = RingEngine.open(provider, config, factory);
            RingReport r = e.report();
            e.close();
            if (s.sqpoll() && !r.sqpoll()) {
                return Availability.unavailable("SQPOLL was asked for but the kernel did not accept it");
            }
            return Availability.available(plain.reason() + "; " + r);
        } catch (DiskIoException e) {
            return Availability.unavailable(e.getMessage());
        } catch (IllegalArgumentException e) {
            return Availability.unavailable("bad setting: " + e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable("opening an engine failed: " + e);
        }
    }

    /** The sysctl's value, or -1 when the kernel has none (before 6.6) or it cannot be read. */
    static int readSysctl() {
        try {
            return Integer.parseInt(Files.readString(SYSCTL).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Why the sysctl stops io_uring, or null if it does not. */
    static String sysctlReason(int value) {
        if (value == 2) {
            return "io_uring is disabled: sysctl kernel.io_uring_disabled=2";
        }
        if (value == 1 && !isPrivileged()) {
            return "io_uring is disabled for this user: sysctl kernel.io_uring_disabled=1 "
                    + "(only CAP_SYS_ADMIN or the group in kernel.io_uring_group may use it)";
        }
        return null;
    }

    private static boolean isPrivileged() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (caps & (1L << 21)) != 0; // CAP_SYS_ADMIN
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through: assume not, and let the setup call say
        }
        return false;
    }

    /** A reason a person can act on for a failed io_uring_setup. */
    public static String setupReason(RingException e) {
        int errno = e.errno();
        if (errno == Errno.ENOSYS.number()) {
            return "the kernel has no io_uring (io_uring_setup: ENOSYS): Linux 5.1 or later built with CONFIG_IO_URING is needed";
        }
        if (errno == Errno.EPERM.number()) {
            int sysctl = readSysctl();
            return "io_uring_setup was refused with EPERM: a seccomp filter blocks io_uring (Docker's default profile does; run with"
                    + " --security-opt seccomp=unconfined or a profile that allows io_uring_setup/enter/register)"
                    + (sysctl > 0 ? ", or sysctl kernel.io_uring_disabled=" + sysctl : "");
        }
        if (errno == Errno.ENOMEM.number()) {
            return "io_uring_setup failed with ENOMEM: the locked-memory limit (ulimit -l) is too low for the ring";
        }
        return "io_uring_setup failed: " + e.getMessage();
    }

    /** What becomes of {@code uring.iopoll}: why the engine does not poll. */
    public static String iopollNote() {
        StringBuilder sb = new StringBuilder();
        try (DirectoryStream<Path> devs = Files.newDirectoryStream(Path.of("/sys/block"))) {
            for (Path d : devs) {
                Path f = d.resolve("queue/io_poll");
                if (Files.isReadable(f)) {
                    sb.append(sb.length() == 0 ? "" : ", ").append(f).append('=').append(Files.readString(f).trim());
                }
            }
        } catch (IOException e) {
            sb.append("no /sys/block");
        }
        return "IOPOLL rings need block devices with poll queues and O_DIRECT for every operation; this engine runs "
                + "buffered I/O, syncs and metadata on one ring, so it never sets IORING_SETUP_IOPOLL (" + sb + ")";
    }

    static String kernelRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            return System.getProperty("os.version");
        }
    }
}
