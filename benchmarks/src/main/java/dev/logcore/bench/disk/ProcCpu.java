package dev.logcore.bench.disk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time this process used, from {@code /proc/self/stat} (utime + stime, in clock ticks of
 * 10 ms): every thread counts, the JVM's, the engine's, and the kernel's io_uring workers and SQPOLL
 * thread, which belong to the process.
 */
final class ProcCpu {
    private static final long NANOS_PER_TICK = 1_000_000_000L / 100; // CLK_TCK is 100 on Linux

    private ProcCpu() {
    }

    static long nanos() {
        return nanos(ProcessHandle.current().pid());
    }

    /** The CPU time of process {@code pid} (all its threads, live and exited); 0 once it is gone. */
    static long nanos(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": field 3 is state; utime and stime are fields 14 and 15.
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
        } catch (IOException e) {
            if (pid == ProcessHandle.current().pid()) {
                throw new IllegalStateException("cannot read /proc/self/stat", e);
            }
            return 0;
        }
    }
}
