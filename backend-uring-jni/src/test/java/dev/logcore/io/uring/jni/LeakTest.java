package dev.logcore.io.uring.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.OpenFlag;
import dev.logcore.io.uring.UringSettings;
import dev.logcore.io.uring.testkit.TestSupport;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Thousands of engines opened, used and closed leave no ring, descriptor, pinned or locked memory
 * or thread behind (a known failure of other io_uring libraries).
 */
class LeakTest {
    private static final int CYCLES = 2000;

    @Test
    void thousandsOfEngineCyclesLeakNothing() throws Exception {
        Path dir = TestSupport.dir("leak");
        Path file = dir.resolve("leak.dat");
        UringJniProvider p = new UringJniProvider();
        DiskIoConfig small = DiskIoConfig.of(Map.of(UringSettings.ENTRIES, "8", UringSettings.REGISTERED_BUFFERS, "1",
                UringSettings.REGISTERED_FILES, "8"));
        DiskIoConfig sqpoll = small.with(UringSettings.SQPOLL, "true");
        for (int i = 0; i < 20; i++) {
            cycle(p, small, file, i); // warm up: classes loaded, JIT, the JVM's own descriptors
        }
        // The readings below can see a leak: an open engine pins its registered pool (VmPin).
        DiskIo open = p.open(DiskIoConfig.defaults());
        long pinOpen = TestSupport.status("VmPin");
        open.close();
        System.gc();
        long fdsBefore = TestSupport.openFds();
        int ringsBefore = TestSupport.openRings();
        long pinBefore = TestSupport.status("VmPin");
        long lockBefore = TestSupport.status("VmLck");
        long threadsBefore = TestSupport.status("Threads");
        long t0 = System.nanoTime();
        for (int i = 0; i < CYCLES; i++) {
            cycle(p, i % 100 == 0 ? DiskIoConfig.defaults() : i % 10 == 0 ? sqpoll : small, file, i);
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        long fdsAfter = TestSupport.openFds();
        int ringsAfter = TestSupport.openRings();
        long pinAfter = TestSupport.status("VmPin");
        long lockAfter = TestSupport.status("VmLck");
        long threadsAfter = waitForThreads(threadsBefore);
        System.out.printf("[leak] %d engine cycles in %d ms; fds %d->%d, rings %d->%d, VmPin %d->%d kB, VmLck %d->%d kB, threads %d->%d%n",
                CYCLES, ms, fdsBefore, fdsAfter, ringsBefore, ringsAfter, pinBefore, pinAfter, lockBefore, lockAfter,
                threadsBefore, threadsAfter);
        assertEquals(ringsBefore, ringsAfter, "io_uring instances left open");
        assertTrue(fdsAfter - fdsBefore <= 2, "descriptors grew from " + fdsBefore + " to " + fdsAfter);
        assertTrue(pinOpen >= pinBefore + 16 * 1024, "an open engine's 16 MiB pool shows in VmPin: " + pinOpen + " kB");
        assertEquals(pinBefore, pinAfter, "pinned memory (registered buffers) left behind, kB");
        assertEquals(lockBefore, lockAfter, "locked memory left behind, kB");
        assertTrue(threadsAfter <= threadsBefore + 1, "threads grew from " + threadsBefore + " to " + threadsAfter);
    }

    private static void cycle(UringJniProvider p, DiskIoConfig c, Path file, int i) throws Exception {
        DiskIo e = p.open(c);
        try {
            DiskFile f = e.open(file, OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE).get(30, TimeUnit.SECONDS);
            IoBuffer b = e.allocate(4096);
            b.putInt(0, i);
            f.write(b, 0).get(30, TimeUnit.SECONDS);
            f.read(b, 0).get(30, TimeUnit.SECONDS);
            if (b.getInt(0) != i) {
                throw new AssertionError("cycle " + i + " read back " + b.getInt(0));
            }
            if (i % 2 == 0) {
                f.close().get(30, TimeUnit.SECONDS); // the other half is closed by the engine's close
            }
            b.close();
        } finally {
            e.close();
        }
    }

    private static long waitForThreads(long target) throws Exception {
        long n = TestSupport.status("Threads");
        for (int i = 0; i < 100 && n > target + 1; i++) {
            Thread.sleep(50);
            n = TestSupport.status("Threads");
        }
        return n;
    }
}
