package dev.logcore.io.uring.ffi;

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
import org.junit.jupiter.api.Timeout;

/**
 * Opening and closing thousands of engines (each with a ring, its mappings, an eventfd, a pinned
 * registered buffer pool, a fixed file table and a ring thread, and one write and read) leaves
 * nothing behind: descriptors, io_uring mappings in /proc/self/maps, pinned and locked memory,
 * threads.
 */
@Timeout(300)
class LeakTest {
    private static final int ENGINES = 2000;

    @Test
    void thousandsOfEnginesLeaveNothingBehind() throws Exception {
        Path dir = TestSupport.dir("leak");
        DiskIoConfig config = DiskIoConfig.of(Map.of(UringSettings.REGISTERED_BUFFERS, "1", UringSettings.ENTRIES, "64"));
        cycle(config, dir, 20); // warm up: classes, jnr-ffi stubs, JIT
        long fds = TestSupport.openFds();
        long maps = TestSupport.ringMappings();
        long pinned = TestSupport.status("VmPin");
        long locked = TestSupport.status("VmLck");
        long threads = TestSupport.status("Threads");
        long rssAfterWarmup = TestSupport.status("VmRSS");

        long maxPinned = 0;
        long maxMaps = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < ENGINES; i++) {
            DiskIo e = new UringFfiProvider().open(config);
            try {
                DiskFile f = e.open(dir.resolve("f" + (i % 8)), OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE).get(30, TimeUnit.SECONDS);
                IoBuffer b = e.allocate(4096);
                b.putInt(0, i);
                assertEquals(4096, f.write(b, 0).get(30, TimeUnit.SECONDS));
                assertEquals(4096, f.read(b, 0).get(30, TimeUnit.SECONDS));
                assertEquals(i, b.getInt(0));
                b.close();
                f.close().get(30, TimeUnit.SECONDS);
                if (i % 200 == 0) {
                    maxPinned = Math.max(maxPinned, TestSupport.status("VmPin"));
                    maxMaps = Math.max(maxMaps, TestSupport.ringMappings());
                }
            } finally {
                e.close();
            }
        }
        double msPerEngine = (System.nanoTime() - t0) / 1e6 / ENGINES;

        assertTrue(maxPinned >= pinned + 1024, "an open engine pins its 1 MiB registered pool (VmPin " + maxPinned + " kB)");
        assertTrue(maxMaps >= maps + 2, "an open engine maps its rings and SQEs (" + maxMaps + " io_uring mappings)");
        assertEquals(fds, TestSupport.openFds(), "file descriptors");
        assertEquals(maps, TestSupport.ringMappings(), "io_uring mappings in /proc/self/maps");
        assertEquals(pinned, TestSupport.status("VmPin"), "pinned memory (VmPin, kB)");
        assertEquals(locked, TestSupport.status("VmLck"), "locked memory (VmLck, kB)");
        long threadsNow = 0;
        for (int tries = 0; tries < 100; tries++) { // ring threads end just after close returns
            threadsNow = TestSupport.status("Threads");
            if (threadsNow <= threads) {
                break;
            }
            Thread.sleep(20);
        }
        assertTrue(threadsNow <= threads, "threads " + threadsNow + " after, " + threads + " before");
        // RSS is printed, not asserted: the JVM's own heap and code cache move it by tens of MiB
        // (measured: it levels off near +50 MiB after ~6000 engines), which would hide any leak
        // the exact counters above do not already catch.
        long rssGrowth = TestSupport.status("VmRSS") - rssAfterWarmup;
        System.out.printf("[leak] %d engines, %.2f ms each; fds %d, ring maps %d, VmPin %d kB (max %d while open), VmLck %d kB, RSS +%d kB%n",
                ENGINES, msPerEngine, fds, maps, pinned, maxPinned, locked, rssGrowth);
    }

    private static void cycle(DiskIoConfig config, Path dir, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            try (DiskIo e = new UringFfiProvider().open(config)) {
                DiskFile f = e.open(dir.resolve("warm"), OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE).get(30, TimeUnit.SECONDS);
                f.close().get(30, TimeUnit.SECONDS);
            }
        }
    }
}
