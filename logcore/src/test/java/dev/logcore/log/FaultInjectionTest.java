package dev.logcore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.DiskIo;
import dev.logcore.io.Errno;
import dev.logcore.io.faults.CrashMode;
import dev.logcore.io.faults.Fault;
import dev.logcore.io.faults.FaultyDiskIo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faults on the way to the disk, through the fault-injecting engine around every provider: a
 * failed sync or write fences the partition (never retried, never acknowledged), and what was
 * acknowledged before survives a crash.
 */
class FaultInjectionTest {
    static Stream<String> providers() {
        return TestProviders.names();
    }

    private static final int VALUE = 30;

    /** Appends one at a time until one fails; returns the offsets acknowledged. */
    private static long appendUntilFailure(PartitionLog p, int max, List<Throwable> failures) {
        long acked = 0;
        for (int i = 0; i < max; i++) {
            try {
                assertEquals(i, p.append(Kit.recordFor(i, VALUE)).join());
                acked++;
            } catch (CompletionException e) {
                failures.add(e.getCause());
                break;
            }
        }
        return acked;
    }

    private static void assertRecovered(Path pdir, String provider, long acked) throws Exception {
        try (DiskIo fresh = TestProviders.open(provider);
             PartitionLog p = PartitionLog.open("p", pdir, fresh, LogSettings.defaults())) {
            assertFalse(p.isFenced(), () -> p.fenceReason().orElseThrow().getMessage());
            assertTrue(p.logEndOffset() >= acked, "acknowledged " + acked + ", recovered " + p.logEndOffset());
            Kit.assertRecordsMatch(Kit.readAll(p), VALUE);
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("providers")
    void aFailedSyncFencesThePartitionAndIsNeverRetried(String provider) throws Exception {
        Path dir = TestDirs.fresh("fault-sync-" + provider);
        Path pdir = dir.resolve("p");
        FaultyDiskIo io = new FaultyDiskIo(TestProviders.open(provider), 1);
        try {
            Fault f = io.inject(Fault.onSync(Fault.named(".log")).after(20).fail(Errno.EIO));
            List<Throwable> failures = new ArrayList<>();
            long acked;
            try (PartitionLog p = PartitionLog.open("p", pdir, io, LogSettings.defaults())) {
                acked = appendUntilFailure(p, 100, failures);
                assertEquals(1, f.fired());
                assertEquals(1, failures.size());
                Throwable t = failures.get(0);
                assertTrue(t instanceof PartitionFencedException, t.toString());
                assertTrue(t.getMessage().contains("write+fdatasync") && t.getMessage().contains("EIO")
                        && t.getMessage().contains("nothing is retried"), t.getMessage());
                long syncs = io.syncCount();
                assertTrue(p.isFenced());
                for (int i = 0; i < 5; i++) {
                    CompletionException e = assertThrows(CompletionException.class, () -> p.append(Record.of("a", "b")).join());
                    assertTrue(e.getCause() instanceof PartitionFencedException);
                }
                Thread.sleep(50);
                assertEquals(syncs, io.syncCount(), "no sync after the failed one");
            }
            assertTrue(acked >= 19, "the appends before the fault were acknowledged: " + acked);
            io.crash(CrashMode.LOSE_ALL_UNSYNCED);
            assertRecovered(pdir, provider, acked);
        } finally {
            io.close();
            TestDirs.delete(dir);
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("providers")
    void enospcAndShortWritesFenceAndRecoveryCutsWhatWasHalfWritten(String provider) throws Exception {
        for (String kind : new String[] {"ENOSPC", "short"}) {
            Path dir = TestDirs.fresh("fault-write-" + kind + "-" + provider);
            Path pdir = dir.resolve("p");
            FaultyDiskIo io = new FaultyDiskIo(TestProviders.open(provider), 2);
            try {
                Fault f = Fault.onWrite(Fault.named(".log")).after(10);
                io.inject(kind.equals("short") ? f.shortWrite() : f.fail(Errno.ENOSPC));
                List<Throwable> failures = new ArrayList<>();
                long acked;
                try (PartitionLog p = PartitionLog.open("p", pdir, io, LogSettings.defaults())) {
                    acked = appendUntilFailure(p, 50, failures);
                    assertEquals(1, failures.size(), kind);
                    String m = failures.get(0).getMessage();
                    assertTrue(failures.get(0) instanceof PartitionFencedException, m);
                    assertTrue(m.contains(kind.equals("short") ? "short write" : "ENOSPC"), m);
                }
                assertEquals(10, acked);
                io.crash(CrashMode.KEEP_ALL); // what was half written stays on disk
                assertRecovered(pdir, provider, acked);
            } finally {
                io.close();
                TestDirs.delete(dir);
            }
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("providers")
    void aBitFlippedOnTheWayToTheDiskIsCorruptionOnceALaterBatchWasSynced(String provider) throws Exception {
        Path dir = TestDirs.fresh("fault-flip-" + provider);
        Path pdir = dir.resolve("p");
        FaultyDiskIo io = new FaultyDiskIo(TestProviders.open(provider), 3);
        try {
            io.inject(Fault.onWrite(Fault.named(".log")).after(5).flipBit());
            try (PartitionLog p = PartitionLog.open("p", pdir, io, LogSettings.defaults())) {
                Kit.appendOneByOne(p, 0, 20, VALUE); // the disk said yes to all of them
            }
            io.crash(CrashMode.KEEP_ALL);
            try (DiskIo fresh = TestProviders.open(provider);
                 PartitionLog p = PartitionLog.open("p", pdir, fresh, LogSettings.defaults())) {
                assertTrue(p.isFenced(), "synced data is damaged: fenced, not cut");
                assertTrue(p.fenceReason().orElseThrow().getMessage().contains("offset 5"), p.fenceReason().orElseThrow().getMessage());
            }
        } finally {
            io.close();
            TestDirs.delete(dir);
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("providers")
    void aBitFlippedOnReadIsReportedAndFences(String provider) throws Exception {
        Path dir = TestDirs.fresh("fault-read-" + provider);
        FaultyDiskIo io = new FaultyDiskIo(TestProviders.open(provider), 4);
        try (PartitionLog p = PartitionLog.open("p", dir.resolve("p"), io, LogSettings.defaults())) {
            Kit.appendOneByOne(p, 0, 10, VALUE);
            io.inject(Fault.onRead(Fault.named(".log")).flipBit());
            CompletionException e = assertThrows(CompletionException.class, () -> p.fetch(0, 1 << 20).join());
            assertTrue(e.getCause() instanceof CorruptLogException, e.toString());
            assertTrue(p.isFenced());
        } finally {
            io.close();
            TestDirs.delete(dir);
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("providers")
    void newSegmentNamesSurviveACrashBecauseTheDirectoryIsSynced(String provider) throws Exception {
        Path dir = TestDirs.fresh("fault-dir-" + provider);
        Path pdir = dir.resolve("p");
        FaultyDiskIo io = new FaultyDiskIo(TestProviders.open(provider), 5);
        long acked;
        try {
            LogSettings s = LogSettings.builder().segmentBytes(2048).build();
            PartitionLog p = PartitionLog.open("p", pdir, io, s);
            Kit.appendOneByOne(p, 0, 100, VALUE);
            acked = p.logEndOffset();
            assertTrue(p.segmentCount() > 3);
            // Crash without a clean close: names created after the last directory sync are lost.
            List<String> what = io.crash(CrashMode.LOSE_ALL_UNSYNCED);
            assertTrue(what.stream().noneMatch(l -> l.contains(".log: created after")), what.toString());
            p.close();
        } finally {
            io.close();
        }
        try {
            assertRecovered(pdir, provider, acked);
        } finally {
            TestDirs.delete(dir);
        }
    }
}
