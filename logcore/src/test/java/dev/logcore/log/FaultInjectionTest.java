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

    /**
     * One test's fresh directory and the fault-injecting engine around one provider (seeded);
     * closing it closes the engine and deletes the directory.
     */
    private record Faulty(Path dir, FaultyDiskIo io) implements AutoCloseable {
        static Faulty open(String name, String provider, long seed) {
            return new Faulty(TestDirs.fresh(name + "-" + provider), new FaultyDiskIo(TestProviders.open(provider), seed));
        }

        Path pdir() {
            return dir.resolve("p");
        }

        PartitionLog openLog(LogSettings settings) throws Exception {
            return PartitionLog.open("p", pdir(), io, settings);
        }

        @Override
        public void close() {
            io.close();
            TestDirs.delete(dir);
        }
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
        try (Faulty fx = Faulty.open("fault-sync", provider, 1)) {
            FaultyDiskIo io = fx.io();
            Fault f = io.inject(Fault.onSync(Fault.named(".log")).after(20).fail(Errno.EIO));
            List<Throwable> failures = new ArrayList<>();
            long acked;
            try (PartitionLog p = fx.openLog(LogSettings.defaults())) {
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
            assertRecovered(fx.pdir(), provider, acked);
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("providers")
    void enospcAndShortWritesFenceAndRecoveryCutsWhatWasHalfWritten(String provider) throws Exception {
        for (String kind : new String[] {"ENOSPC", "short"}) {
            try (Faulty fx = Faulty.open("fault-write-" + kind, provider, 2)) {
                Fault f = Fault.onWrite(Fault.named(".log")).after(10);
                fx.io().inject(kind.equals("short") ? f.shortWrite() : f.fail(Errno.ENOSPC));
                List<Throwable> failures = new ArrayList<>();
                long acked;
                try (PartitionLog p = fx.openLog(LogSettings.defaults())) {
                    acked = appendUntilFailure(p, 50, failures);
                    assertEquals(1, failures.size(), kind);
                    String m = failures.get(0).getMessage();
                    assertTrue(failures.get(0) instanceof PartitionFencedException, m);
                    assertTrue(m.contains(kind.equals("short") ? "short write" : "ENOSPC"), m);
                }
                assertEquals(10, acked);
                fx.io().crash(CrashMode.KEEP_ALL); // what was half written stays on disk
                assertRecovered(fx.pdir(), provider, acked);
            }
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("providers")
    void aBitFlippedOnTheWayToTheDiskIsCorruptionOnceALaterBatchWasSynced(String provider) throws Exception {
        try (Faulty fx = Faulty.open("fault-flip", provider, 3)) {
            fx.io().inject(Fault.onWrite(Fault.named(".log")).after(5).flipBit());
            try (PartitionLog p = fx.openLog(LogSettings.defaults())) {
                Kit.appendOneByOne(p, 0, 20, VALUE); // the disk said yes to all of them
            }
            fx.io().crash(CrashMode.KEEP_ALL);
            try (DiskIo fresh = TestProviders.open(provider);
                 PartitionLog p = PartitionLog.open("p", fx.pdir(), fresh, LogSettings.defaults())) {
                assertTrue(p.isFenced(), "synced data is damaged: fenced, not cut");
                assertTrue(p.fenceReason().orElseThrow().getMessage().contains("offset 5"), p.fenceReason().orElseThrow().getMessage());
            }
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("providers")
    void aBitFlippedOnReadIsReportedAndFences(String provider) throws Exception {
        try (Faulty fx = Faulty.open("fault-read", provider, 4);
             PartitionLog p = fx.openLog(LogSettings.defaults())) {
            Kit.appendOneByOne(p, 0, 10, VALUE);
            fx.io().inject(Fault.onRead(Fault.named(".log")).flipBit());
            CompletionException e = assertThrows(CompletionException.class, () -> p.fetch(0, 1 << 20).join());
            assertTrue(e.getCause() instanceof CorruptLogException, e.toString());
            assertTrue(p.isFenced());
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("providers")
    void newSegmentNamesSurviveACrashBecauseTheDirectoryIsSynced(String provider) throws Exception {
        try (Faulty fx = Faulty.open("fault-dir", provider, 5)) {
            PartitionLog p = fx.openLog(LogSettings.builder().segmentBytes(2048).build());
            Kit.appendOneByOne(p, 0, 100, VALUE);
            long acked = p.logEndOffset();
            assertTrue(p.segmentCount() > 3);
            // Crash without a clean close: names created after the last directory sync are lost.
            List<String> what = fx.io().crash(CrashMode.LOSE_ALL_UNSYNCED);
            assertTrue(what.stream().noneMatch(l -> l.contains(".log: created after")), what.toString());
            p.close();
            fx.io().close(); // recovery below reads through a fresh engine, as after a restart
            assertRecovered(fx.pdir(), provider, acked);
        }
    }
}
