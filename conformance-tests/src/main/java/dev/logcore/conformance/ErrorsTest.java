package dev.logcore.conformance;

import static dev.logcore.conformance.Target.await;
import static dev.logcore.conformance.Target.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoException;
import dev.logcore.io.Errno;
import dev.logcore.io.FsyncKind;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.OpKind;
import dev.logcore.io.OpenFlag;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Every failure names the operation, the path and the errno; bad input never crashes. */
class ErrorsTest {

    private static void named(DiskIoException e, OpKind op, Errno errno, Path path) {
        assertEquals(errno, e.errno(), e.getMessage());
        assertEquals(op, e.operation(), e.getMessage());
        assertTrue(e.getMessage().contains(errno.name()), "the message names the errno: " + e.getMessage());
        if (path != null) {
            assertTrue(e.getMessage().contains(path.toString()), "the message names the path: " + e.getMessage());
            assertEquals(path, e.path().orElseThrow());
        }
    }

    @ConformanceTest(modes = Mode.BUFFERED)
    void openingAMissingFileIsEnoent(Target t) {
        Path missing = t.file("no-such-file");
        named(failure(t.engine().open(missing, OpenFlag.READ)), OpKind.OPEN, Errno.ENOENT, missing);
    }

    @ConformanceTest(modes = Mode.BUFFERED)
    void openingADirectoryForWritingIsEisdir(Target t) {
        named(failure(t.engine().open(t.dir(), OpenFlag.WRITE)), OpKind.OPEN, Errno.EISDIR, t.dir());
    }

    @ConformanceTest(modes = Mode.BUFFERED)
    void createNewOnAnExistingFileIsEexist(Target t) {
        await(t.create("exists.dat").close());
        Path p = t.file("exists.dat");
        named(failure(t.engine().open(p, OpenFlag.WRITE, OpenFlag.CREATE_NEW)), OpKind.OPEN, Errno.EEXIST, p);
    }

    @ConformanceTest(modes = Mode.BUFFERED)
    void writesToDevFullAreEnospc(Target t) {
        Path full = Path.of("/dev/full");
        DiskFile f = await(t.engine().open(full, OpenFlag.WRITE));
        named(failure(f.write(t.patterned(4096, 1), 0)), OpKind.WRITE, Errno.ENOSPC, full);
        named(failure(f.writev(List.of(t.patterned(100, 2), t.patterned(200, 3)), 0)), OpKind.WRITEV, Errno.ENOSPC, full);
        var s = t.engine().stats();
        assertEquals(1, s.of(OpKind.WRITE).errors(), "the failed write is counted as an error");
        assertEquals(1, s.of(OpKind.WRITEV).errors());
        await(f.close());
    }

    @ConformanceTest(modes = Mode.BUFFERED)
    void readingAFileOpenedWriteOnlyIsEbadf(Target t) {
        DiskFile f = t.open("wo.dat", OpenFlag.WRITE, OpenFlag.CREATE);
        named(failure(f.read(t.engine().allocate(512), 0)), OpKind.READ, Errno.EBADF, t.file("wo.dat"));
        await(f.close());
    }

    @ConformanceTest(modes = Mode.BUFFERED)
    void everyOperationOnAClosedFileFailsWithEbadf(Target t) {
        DiskFile f = t.create("closed.dat");
        await(f.write(t.patterned(100, 1), 0));
        await(f.close());
        assertFalse(f.isOpen());
        await(f.close()); // twice is harmless
        Path p = t.file("closed.dat");
        IoBuffer b = t.patterned(512, 2);
        named(failure(f.read(b, 0)), OpKind.READ, Errno.EBADF, p);
        named(failure(f.write(b, 0)), OpKind.WRITE, Errno.EBADF, p);
        named(failure(f.writev(List.of(b), 0)), OpKind.WRITEV, Errno.EBADF, p);
        named(failure(f.writeThenSync(List.of(b), 0, FsyncKind.DATA)), OpKind.WRITE_SYNC, Errno.EBADF, p);
        named(failure(f.sync(FsyncKind.FULL)), OpKind.SYNC, Errno.EBADF, p);
        named(failure(f.size()), OpKind.SIZE, Errno.EBADF, p);
        named(failure(f.truncate(0)), OpKind.TRUNCATE, Errno.EBADF, p);
        named(failure(f.preallocate(0, 4096)), OpKind.PREALLOCATE, Errno.EBADF, p);
        assertTrue(b.isOwned(), "a refused operation leaves the buffer with the caller");
    }

    @ConformanceTest(modes = Mode.BUFFERED)
    void everyOperationOnAClosedEngineFailsWithEshutdown(Target t) {
        DiskIo engine = t.newEngine(java.util.Map.of());
        DiskFile f = await(engine.open(t.file("engine.dat"), OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE));
        engine.close();
        assertFalse(engine.isOpen());
        engine.close(); // twice is harmless
        IoBuffer b = IoBuffer.allocate(512);
        named(failure(engine.open(t.file("other.dat"), OpenFlag.WRITE, OpenFlag.CREATE)), OpKind.OPEN, Errno.ESHUTDOWN, t.file("other.dat"));
        named(failure(f.write(b, 0)), OpKind.WRITE, Errno.ESHUTDOWN, t.file("engine.dat"));
        named(failure(f.read(b, 0)), OpKind.READ, Errno.ESHUTDOWN, t.file("engine.dat"));
        named(failure(f.sync(FsyncKind.DATA)), OpKind.SYNC, Errno.ESHUTDOWN, t.file("engine.dat"));
        assertTrue(b.isOwned());
        assertFalse(f.isOpen(), "closing the engine closed its files");
    }

    @ConformanceTest(modes = Mode.BUFFERED)
    void programmingErrorsAreThrownAtTheCall(Target t) {
        DiskFile f = t.create("args.dat");
        IoBuffer b = t.patterned(512, 1);
        assertThrows(NullPointerException.class, () -> f.write(null, 0));
        assertThrows(NullPointerException.class, () -> f.read(null, 0));
        assertThrows(NullPointerException.class, () -> f.writev(null, 0));
        assertThrows(NullPointerException.class, () -> f.sync(null));
        assertThrows(NullPointerException.class, () -> t.engine().open(null, OpenFlag.READ));
        List<IoBuffer> withNull = new ArrayList<>();
        withNull.add(b);
        withNull.add(null);
        assertThrows(NullPointerException.class, () -> f.writev(withNull, 0));
        assertThrows(IllegalArgumentException.class, () -> f.write(b, -1));
        assertThrows(IllegalArgumentException.class, () -> f.read(b, -4096));
        assertThrows(IllegalArgumentException.class, () -> f.truncate(-1));
        assertThrows(IllegalArgumentException.class, () -> f.preallocate(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> f.preallocate(0, -10));
        assertThrows(IllegalArgumentException.class, () -> f.writev(List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> f.writev(List.of(b, b), 0), "the same buffer twice");
        assertThrows(IllegalArgumentException.class, () -> t.engine().open(t.file("x"), OpenFlag.READ, OpenFlag.CREATE),
                "CREATE without WRITE");
        assertThrows(IllegalArgumentException.class, () -> IoBuffer.allocate(0));
        assertThrows(IllegalArgumentException.class, () -> t.engine().allocate(-5));
        b.close();
        assertThrows(IllegalStateException.class, () -> f.write(b, 0), "a closed buffer");
        assertEquals(0, t.engine().stats().inFlight(), "nothing was left in flight");
        await(f.close());
    }
}
