package dev.logcore.io.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.DiskIoException;
import dev.logcore.io.DiskIoProvider;
import dev.logcore.io.DiskIoProviders;
import dev.logcore.io.Errno;
import dev.logcore.io.FsyncKind;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.OpenFlag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The page-cache model and the injected faults of the wrapper, over a real provider. */
class FaultyDiskIoTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        Path base = Path.of("target", "faults-tests").toAbsolutePath();
        Files.createDirectories(base);
        dir = Files.createTempDirectory(base, "t");
    }

    @AfterEach
    void tearDown() throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static DiskIo realEngine() throws DiskIoException {
        List<DiskIoProvider> ps = DiskIoProviders.discover();
        assertFalse(ps.isEmpty(), "a provider must be on the test class path");
        return ps.get(0).open(DiskIoConfig.defaults());
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i * 7 + 1);
        }
        return b;
    }

    private static void write(DiskIo io, DiskFile f, byte[] data, long at) {
        try (IoBuffer b = io.allocate(data.length)) {
            b.put(0, data);
            assertEquals(data.length, f.writev(List.of(b), at).join());
        }
    }

    private DiskFile create(DiskIo io, String name) {
        return io.open(dir.resolve(name), OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE).join();
    }

    private void syncDir(DiskIo io) {
        DiskFile d = io.open(dir, OpenFlag.READ).join();
        d.sync(FsyncKind.FULL).join();
        d.close().join();
    }

    /** Creates {@code p} (its name synced), writes {@code synced} at 0 and syncs, then writes {@code unsynced} at {@code at}. */
    private DiskFile syncedThenUnsynced(DiskIo io, Path p, byte[] synced, byte[] unsynced, long at) {
        DiskFile f = io.open(p, OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE).join();
        syncDir(io);
        write(io, f, synced, 0);
        f.sync(FsyncKind.DATA).join();
        write(io, f, unsynced, at);
        return f;
    }
    @Test
    void aCrashKeepsWhatWasSyncedAndDropsTheRest() throws Exception {
        byte[] a = bytes(1000, 1);
        byte[] b = bytes(2000, 2);
        for (CrashMode mode : new CrashMode[] {CrashMode.LOSE_ALL_UNSYNCED, CrashMode.KEEP_ALL}) {
            Path p = dir.resolve("f-" + mode);
            try (FaultyDiskIo io = new FaultyDiskIo(realEngine(), 1)) {
                DiskFile f = syncedThenUnsynced(io, p, a, b, 1000);
                assertTrue(io.unsyncedSectors() > 0);
                io.crash(mode);
                CompletionException e = assertThrows(CompletionException.class, () -> f.size().join());
                assertTrue(e.getCause().getMessage().contains("simulated crash"));
            }
            byte[] on = Files.readAllBytes(p);
            if (mode == CrashMode.LOSE_ALL_UNSYNCED) {
                assertArrayEquals(a, on);
            } else {
                byte[] both = Arrays.copyOf(a, 3000);
                System.arraycopy(b, 0, both, 1000, 2000);
                assertArrayEquals(both, on);
            }
        }
    }

    @Test
    void randomCrashesLeaveSyncedDataAndSectorsOfUnsyncedOnes() throws Exception {
        byte[] a = bytes(1000, 1);
        byte[] b = bytes(4000, 2);
        Set<Integer> sizes = new HashSet<>();
        Set<String> shapes = new HashSet<>();
        for (int seed = 0; seed < 60; seed++) {
            Path p = dir.resolve("r" + seed);
            try (FaultyDiskIo io = new FaultyDiskIo(realEngine(), seed)) {
                syncedThenUnsynced(io, p, a, b, 1000);
                io.crash(CrashMode.RANDOM);
            }
            byte[] on = Files.readAllBytes(p);
            assertTrue(on.length >= 1000 && on.length <= 5000, "size between synced and written: " + on.length);
            assertArrayEquals(a, Arrays.copyOf(on, 1000), "synced bytes are intact");
            sizes.add(on.length);
            StringBuilder shape = new StringBuilder();
            for (int s = 1; s * 512 < on.length; s++) {
                int from = Math.max(1000, s * 512);
                int to = Math.min(on.length, (s + 1) * 512);
                byte[] got = Arrays.copyOfRange(on, from, to);
                byte[] written = Arrays.copyOfRange(b, from - 1000, to - 1000);
                boolean isNew = Arrays.equals(got, written);
                boolean isZero = Arrays.equals(got, new byte[to - from]);
                assertTrue(isNew || isZero, "sector " + s + " holds either what was written or nothing");
                shape.append(isNew ? 'W' : '0');
            }
            shapes.add(shape.toString());
        }
        assertTrue(sizes.size() > 5, "sizes vary: " + sizes);
        assertTrue(shapes.size() > 5, "sector subsets vary: " + shapes);
    }

    @Test
    void anUnsyncedOverwriteRollsBack() throws Exception {
        Path p = dir.resolve("o");
        byte[] x = bytes(2048, 3);
        byte[] y = bytes(700, 4);
        try (FaultyDiskIo io = new FaultyDiskIo(realEngine(), 1)) {
            syncedThenUnsynced(io, p, x, y, 100);
            io.crash(CrashMode.LOSE_ALL_UNSYNCED);
        }
        assertArrayEquals(x, Files.readAllBytes(p));
    }

    @Test
    void aFailedSyncLosesItsDataEvenIfALaterSyncSucceeds() throws Exception {
        Path p = dir.resolve("fsyncgate");
        try (FaultyDiskIo io = new FaultyDiskIo(realEngine(), 1)) {
            Fault fault = io.inject(Fault.onSync(Fault.any()).fail(Errno.EIO));
            DiskFile f = io.open(p, OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE).join();
            DiskFile d = io.open(dir, OpenFlag.READ).join();
            io.clearFaults();
            d.sync(FsyncKind.FULL).join();
            io.inject(fault);
            write(io, f, bytes(1024, 5), 0);
            CompletionException e = assertThrows(CompletionException.class, () -> f.sync(FsyncKind.DATA).join());
            assertEquals(Errno.EIO, ((DiskIoException) e.getCause()).errno());
            assertEquals(1, fault.fired());
            f.sync(FsyncKind.DATA).join(); // "succeeds": the kernel forgot the dirty pages
            io.crash(CrashMode.LOSE_ALL_UNSYNCED);
        }
        byte[] on = Files.readAllBytes(p);
        assertFalse(Arrays.equals(bytes(1024, 5), on), "a retried sync proves nothing");
    }

    @Test
    void aNewFileNeedsItsDirectorySynced() throws Exception {
        try (FaultyDiskIo io = new FaultyDiskIo(realEngine(), 1)) {
            DiskFile f = create(io, "lost");
            write(io, f, bytes(100, 1), 0);
            f.sync(FsyncKind.DATA).join();
            DiskFile g = create(io, "kept");
            write(io, g, bytes(100, 2), 0);
            g.sync(FsyncKind.DATA).join();
            syncDir(io);
            DiskFile h = create(io, "late");
            h.sync(FsyncKind.DATA).join();
            List<String> what = io.crash(CrashMode.LOSE_ALL_UNSYNCED);
            assertTrue(what.stream().anyMatch(l -> l.contains("late") && l.contains("name was lost")), what.toString());
        }
        assertTrue(Files.exists(dir.resolve("lost")), "synced with the directory after it");
        assertArrayEquals(bytes(100, 2), Files.readAllBytes(dir.resolve("kept")));
        assertFalse(Files.exists(dir.resolve("late")), "created after the directory's last sync");
    }

    @Test
    void injectedErrorsShortWritesAndBitFlips() throws Exception {
        try (FaultyDiskIo io = new FaultyDiskIo(realEngine(), 9)) {
            DiskFile f = create(io, "x");
            Fault enospc = io.inject(Fault.onWrite(Fault.named("x")).after(1).fail(Errno.ENOSPC));
            write(io, f, bytes(100, 1), 0);
            try (IoBuffer b = io.allocate(100)) {
                b.put(0, bytes(100, 2));
                CompletionException e = assertThrows(CompletionException.class, () -> f.writev(List.of(b), 100).join());
                assertEquals(Errno.ENOSPC, ((DiskIoException) e.getCause()).errno());
                assertTrue(b.isOwned(), "the buffer is back");
            }
            assertEquals(1, enospc.fired());
            assertEquals(100, Files.size(dir.resolve("x")), "the failed write changed nothing");

            io.inject(Fault.onWrite(Fault.named("x")).shortWrite());
            byte[] big = bytes(3000, 3);
            try (IoBuffer b = io.allocate(big.length)) {
                b.put(0, big);
                CompletionException e = assertThrows(CompletionException.class, () -> f.writev(List.of(b), 100).join());
                assertEquals(Errno.EIO, ((DiskIoException) e.getCause()).errno());
                assertTrue(e.getCause().getMessage().contains("short write"));
            }
            long size = Files.size(dir.resolve("x"));
            assertTrue(size > 100 && size < 3100 && size % 512 == 0, "a prefix, cut at a sector boundary: " + size);

            io.inject(Fault.onWrite(Fault.named("y")).flipBit());
            DiskFile g = create(io, "y");
            byte[] data = bytes(500, 4);
            write(io, g, data, 0);
            byte[] on = Files.readAllBytes(dir.resolve("y"));
            int diffBits = 0;
            for (int i = 0; i < data.length; i++) {
                diffBits += Integer.bitCount((data[i] ^ on[i]) & 0xFF);
            }
            assertEquals(1, diffBits, "exactly one bit flipped, the write reported success");

            io.inject(Fault.onRead(Fault.named("y")).flipBit());
            try (IoBuffer b = io.allocate(500)) {
                assertEquals(500, g.read(b, 0).join());
                byte[] read = b.toArray(0, 500);
                assertFalse(Arrays.equals(on, read));
            }
            io.inject(Fault.onSync(Fault.named("y")).fail(Errno.EIO));
            CompletionException e = assertThrows(CompletionException.class, () -> g.sync(FsyncKind.DATA).join());
            assertEquals(Errno.EIO, ((DiskIoException) e.getCause()).errno());
            io.inject(Fault.onSync(Fault.named("y")).fail(Errno.EIO));
            try (IoBuffer b = io.allocate(10)) {
                b.put(0, bytes(10, 5));
                e = assertThrows(CompletionException.class, () -> g.writeThenSync(List.of(b), 500, FsyncKind.DATA).join());
                assertEquals(Errno.EIO, ((DiskIoException) e.getCause()).errno());
                assertTrue(b.isOwned());
            }
            assertEquals(510, Files.size(dir.resolve("y")), "the write half of writeThenSync ran, the sync failed");
        }
    }
}
