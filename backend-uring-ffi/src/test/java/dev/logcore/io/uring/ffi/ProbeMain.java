package dev.logcore.io.uring.ffi;

import dev.logcore.io.Availability;
import dev.logcore.io.BackendUnavailableException;
import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.DiskIoProviders;
import dev.logcore.io.FsyncKind;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.OpenFlag;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Run in a child JVM by {@link AvailabilityTest}: optionally fences io_uring_setup off with a
 * seccomp filter first ({@code seccomp-eperm}, {@code seccomp-enosys}), then prints what the
 * provider's probe says and what selecting it by name does; with {@code exercise DIR} it also runs
 * every kind of operation once. Never crashing is part of the check.
 */
public final class ProbeMain {
    private ProbeMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].startsWith("seccomp-")) {
            int errno = args[0].equals("seccomp-eperm") ? 1 : 38;
            SeccompFilter.refuseIoUringSetup(errno);
            System.out.println("filter: io_uring_setup now fails with errno " + errno);
        }
        Availability a = new UringFfiProvider().probe();
        System.out.println("probe: " + a);
        try {
            DiskIoProviders.select(UringFfiProvider.NAME);
            System.out.println("select: chosen");
        } catch (BackendUnavailableException e) {
            System.out.println("select: refused: " + e.getMessage());
        }
        if (args.length > 1 && args[0].equals("exercise")) {
            try (DiskIo io = new UringFfiProvider().open(DiskIoConfig.defaults())) {
                DiskFile f = io.open(Path.of(args[1]).resolve("exercise.dat"), OpenFlag.READ, OpenFlag.WRITE,
                        OpenFlag.CREATE, OpenFlag.DIRECT).get(30, TimeUnit.SECONDS);
                IoBuffer b = io.allocate(4096);
                b.putLong(0, 42);
                f.writeThenSync(List.of(b), 0, FsyncKind.DATA).get(30, TimeUnit.SECONDS);
                f.preallocate(4096, 4096).get(30, TimeUnit.SECONDS);
                f.read(b, 0).get(30, TimeUnit.SECONDS);
                f.truncate(4096).get(30, TimeUnit.SECONDS);
                System.out.println("exercise: read " + b.getLong(0) + ", size " + f.size().get(30, TimeUnit.SECONDS));
                f.close().get(30, TimeUnit.SECONDS);
            }
        }
    }
}
