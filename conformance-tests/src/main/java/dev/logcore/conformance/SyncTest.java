package dev.logcore.conformance;

import static dev.logcore.conformance.Target.await;
import static dev.logcore.conformance.Target.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIoException;
import dev.logcore.io.Errno;
import dev.logcore.io.FsyncKind;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.OpKind;
import dev.logcore.io.OpenFlag;
import java.nio.file.Files;
import java.util.List;

/** Syncs of both kinds, and write-then-sync as one ordered operation. */
class SyncTest {

    @ConformanceTest
    void writeThenSyncWritesEverythingThenSyncsWithEitherKind(Target t) {
        int u = Math.max(t.unit(), 512);
        DiskFile f = t.create("wts.dat");
        long offset = 0;
        for (FsyncKind kind : FsyncKind.values()) {
            IoBuffer a = t.patterned(2 * u, kind.ordinal() * 10 + 1);
            IoBuffer b = t.patterned(u, kind.ordinal() * 10 + 2);
            assertEquals(3L * u, await(f.writeThenSync(List.of(a, b), offset, kind)), kind + ": the byte count");
            assertTrue(a.isOwned() && b.isOwned(), "buffers are given back");
            IoBuffer r = t.engine().allocate(3 * u);
            assertEquals(3 * u, await(f.read(r, offset)));
            byte[] expect = new byte[3 * u];
            System.arraycopy(Target.pattern(2 * u, kind.ordinal() * 10 + 1), 0, expect, 0, 2 * u);
            System.arraycopy(Target.pattern(u, kind.ordinal() * 10 + 2), 0, expect, 2 * u, u);
            assertArrayEquals(expect, r.toArray(0, 3 * u), kind + ": data");
            offset += 3L * u;
        }
        var s = t.engine().stats().of(OpKind.WRITE_SYNC);
        assertEquals(2, s.count(), "two write-then-sync operations are counted");
        assertEquals(6L * u, s.bytes());
        assertEquals(0, s.errors());
        await(f.close());
    }

    @ConformanceTest
    void syncOfBothKindsSucceedsAndIsCounted(Target t) {
        int u = Math.max(t.unit(), 512);
        DiskFile f = t.create("sync.dat");
        await(f.write(t.patterned(u, 1), 0));
        await(f.sync(FsyncKind.DATA));
        await(f.sync(FsyncKind.FULL));
        assertEquals(2, t.engine().stats().of(OpKind.SYNC).count());
        await(f.close());
    }

    @ConformanceTest(modes = Mode.BUFFERED)
    void whenTheWriteFailsTheSyncDoesNotRunAndTheWritesErrorIsReported(Target t) throws Exception {
        Files.write(t.file("ro.dat"), new byte[4096]);
        DiskFile ro = t.open("ro.dat", OpenFlag.READ);
        DiskIoException e = failure(ro.writeThenSync(List.of(t.patterned(512, 1)), 0, FsyncKind.DATA));
        assertEquals(Errno.EBADF, e.errno(), "the write's own error (EBADF on a read-only file), not the sync's: " + e.getMessage());
        assertEquals(OpKind.WRITE_SYNC, e.operation());

        DiskFile full = t.openPath(java.nio.file.Path.of("/dev/full"), OpenFlag.WRITE);
        DiskIoException enospc = failure(full.writeThenSync(List.of(t.patterned(4096, 2)), 0, FsyncKind.FULL));
        assertEquals(Errno.ENOSPC, enospc.errno(), enospc.getMessage());
        await(ro.close());
        await(full.close());
    }
}
