package dev.logcore.io.uring.testkit;

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
import dev.logcore.io.Errno;
import dev.logcore.io.FsyncKind;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.IoFuture;
import dev.logcore.io.OpenFlag;
import dev.logcore.io.ProviderVariant;
import dev.logcore.io.uring.RingEngine;
import dev.logcore.io.uring.Sqe;
import dev.logcore.io.uring.UringSettings;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shared engine on a provider's real ring, on the real kernel: every variant really uses what
 * it is named after, buffered and O_DIRECT; many operations go in one io_uring_enter; ASYNC_CANCEL
 * reaches a read waiting in the kernel; IOPOLL is refused with its reason. Each io_uring provider
 * runs it through a subclass that names the provider (Netty's transport testsuite does the same).
 */
@Timeout(120)
public abstract class RingEngineContractTest {

    /** The provider under test. */
    protected abstract DiskIoProvider provider();

    private RingEngine engine(Map<String, String> settings) throws Exception {
        DiskIo e = provider().open(DiskIoConfig.of(settings));
        assertEquals(provider().name(), e.providerName());
        return (RingEngine) e;
    }

    private static <T> T await(IoFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    /** Every operation once on one file; returns the bytes read back. */
    private static byte[] exercise(RingEngine e, Path file, boolean direct) throws Exception {
        List<OpenFlag> fl = new ArrayList<>(List.of(OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE));
        if (direct) {
            fl.add(OpenFlag.DIRECT);
        }
        DiskFile f = await(e.open(file, fl.toArray(new OpenFlag[0])));
        IoBuffer w = e.allocate(8192);
        for (int i = 0; i < 8192; i++) {
            w.putByte(i, (byte) (i * 13));
        }
        assertEquals(8192, await(f.write(w, 0)));
        IoBuffer w2 = e.allocate(4096);
        w2.fill(0, 4096, (byte) 7);
        assertEquals(12288L, await(f.writev(List.of(w, w2), 8192)));
        assertEquals(8192L, await(f.writeThenSync(List.of(w), 20480, FsyncKind.DATA)));
        await(f.sync(FsyncKind.FULL));
        await(f.preallocate(28672, 8192));
        assertEquals(36864L, await(f.size()));
        IoBuffer r = e.allocate(8192);
        assertEquals(8192, await(f.read(r, 8192)));
        IoBuffer r2 = e.allocate(4096);
        assertEquals(4096, await(f.read(r2, 16384)));
        assertEquals(7, r2.getByte(4095));
        await(f.truncate(12288));
        assertEquals(12288L, await(f.size()));
        assertEquals(0, await(f.read(r2, 12288)), "at the end of the file");
        byte[] got = r.toArray(0, 8192);
        await(f.close());
        DiskIoException closed = assertThrows(DiskIoException.class, () -> {
            try {
                await(f.read(r, 0));
            } catch (ExecutionException ex) {
                throw ex.getCause();
            }
        });
        assertEquals(Errno.EBADF, closed.errno());
        for (IoBuffer b : List.of(w, w2, r, r2)) {
            b.close();
        }
        return got;
    }

    @Test
    void everyVariantUsesWhatItIsNamedAfter() throws Exception {
        Path dir = TestSupport.dir("variants");
        List<String> seen = new ArrayList<>();
        for (ProviderVariant v : provider().variants()) {
            seen.add(v.name());
            for (boolean direct : new boolean[] {false, true}) {
                RingEngine e = engine(v.settings());
                try {
                    byte[] got = exercise(e, dir.resolve(v.name() + (direct ? "-direct" : "") + ".dat"), direct);
                    for (int i = 0; i < 8192; i++) {
                        assertEquals((byte) (i * 13), got[i]);
                    }
                    long fixedBufs = e.sqesWritten(Sqe.OP_READ_FIXED) + e.sqesWritten(Sqe.OP_WRITE_FIXED);
                    String what = v.name() + (direct ? "/direct" : "") + ": " + e.report();
                    assertEquals(1, e.linkedSqes(), what + ": write-then-sync was one linked pair");
                    assertTrue(e.sqesWritten(Sqe.OP_FSYNC) >= 2, what);
                    switch (v.name()) {
                        case "plain" -> {
                            assertEquals(0, fixedBufs, what);
                            assertEquals(0, e.fixedFileSqes(), what);
                        }
                        case "registered-buffers" -> {
                            assertTrue(e.sqesWritten(Sqe.OP_READ_FIXED) >= 2 && e.sqesWritten(Sqe.OP_WRITE_FIXED) >= 2, what);
                            assertEquals(0, e.fixedFileSqes(), what);
                        }
                        case "registered-files" -> {
                            assertEquals(0, fixedBufs, what);
                            assertTrue(e.fixedFileSqes() >= 8, what);
                        }
                        case "sqpoll" -> assertTrue(e.report().sqpoll(), what);
                        case "fallbacks" -> {
                            assertEquals(0, e.sqesWritten(Sqe.OP_READ) + e.sqesWritten(Sqe.OP_WRITE) + fixedBufs, what);
                            assertEquals(0, e.sqesWritten(Sqe.OP_FTRUNCATE) + e.sqesWritten(Sqe.OP_STATX)
                                    + e.sqesWritten(Sqe.OP_OPENAT) + e.sqesWritten(Sqe.OP_CLOSE)
                                    + e.sqesWritten(Sqe.OP_FALLOCATE), what);
                            assertTrue(e.sqesWritten(Sqe.OP_READV) >= 1, what);
                        }
                        default -> throw new AssertionError("a variant this test does not know: " + v.name());
                    }
                    if (!v.name().equals("fallbacks")) {
                        assertTrue(e.sqesWritten(Sqe.OP_FTRUNCATE) == 1 && e.sqesWritten(Sqe.OP_STATX) == 2
                                && e.sqesWritten(Sqe.OP_OPENAT) == 1 && e.sqesWritten(Sqe.OP_FALLOCATE) == 1,
                                what + ": this kernel's opcodes are used");
                    }
                } finally {
                    e.close();
                }
            }
        }
        assertEquals(List.of("plain", "registered-buffers", "registered-files", "sqpoll", "fallbacks"), seen);
    }

    @Test
    void aReadWaitingInTheKernelIsCancelledByAsyncCancelAndConsumesNothing() throws Exception {
        Path dir = TestSupport.dir("cancel");
        Path fifo = dir.resolve("wait.fifo");
        TestSupport.Run mk = TestSupport.run(List.of("mkfifo", fifo.toString()), 30);
        assertEquals(0, mk.exit(), mk.out());
        RingEngine e = engine(Map.of());
        try {
            DiskFile f = await(e.open(fifo, OpenFlag.READ, OpenFlag.WRITE));
            IoBuffer b = e.allocate(4096).limit(4);
            IoFuture<Integer> read = f.read(b, 0);
            Thread.sleep(300); // the ring thread hands it to the kernel, where it waits for data
            assertFalse(read.cancel(true), "the read is in the kernel: cancel() is a request");
            assertThrows(CancellationException.class, () -> read.get(10, TimeUnit.SECONDS));
            assertTrue(b.isOwned(), "the kernel let go of the buffer");
            try (FileOutputStream out = new FileOutputStream(fifo.toFile())) {
                out.write("late".getBytes());
            }
            IoBuffer again = e.allocate(4096).limit(4);
            assertEquals(4, await(f.read(again, 0)));
            assertArrayEquals("late".getBytes(), again.toArray(0, 4), "the cancelled read consumed nothing");
            await(f.close());
        } finally {
            e.close();
        }
    }

    @Test
    void iopollIsTurnedOffWithItsReason() throws Exception {
        RingEngine e = engine(Map.of(UringSettings.IOPOLL, "true"));
        try {
            assertEquals(0, e.report().setupFlags() & Sqe.SETUP_IOPOLL);
            assertTrue(e.report().iopoll().contains("turned off") && e.report().iopoll().contains("io_poll"), e.report().iopoll());
            assertTrue(provider().probe(DiskIoConfig.of(Map.of(UringSettings.IOPOLL, "true"))).available());
        } finally {
            e.close();
        }
    }

    @Test
    void aBurstFromOneThreadGoesToTheKernelInBatches() throws Exception {
        Path dir = TestSupport.dir("batch");
        RingEngine e = engine(Map.of());
        try {
            DiskFile f = await(e.open(dir.resolve("b.dat"), OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE));
            IoBuffer w = e.allocate(4096);
            await(f.write(w, 1 << 20));
            List<IoFuture<Integer>> reads = new ArrayList<>();
            List<IoBuffer> bufs = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                bufs.add(e.allocate(4096));
            }
            long callsBefore = e.stats().submitCalls();
            long opsBefore = e.stats().submittedOps();
            for (int i = 0; i < 2000; i++) {
                reads.add(f.read(bufs.get(i), (long) (i % 256) * 4096));
            }
            for (IoFuture<Integer> r : reads) {
                assertEquals(4096, await(r));
            }
            double batch = (double) (e.stats().submittedOps() - opsBefore) / (e.stats().submitCalls() - callsBefore);
            assertTrue(batch >= 2.0, "2000 reads pushed at once go in batches: " + batch + " per io_uring_enter");
            await(f.close());
        } finally {
            e.close();
        }
    }

    @Test
    void manyThreadsManyFilesOneRing() throws Exception {
        Path dir = TestSupport.dir("threads");
        RingEngine e = engine(Map.of(UringSettings.ENTRIES, "32"));
        try {
            List<Thread> threads = new ArrayList<>();
            List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 4; t++) {
                int id = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        DiskFile f = await(e.open(dir.resolve("t" + id), OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE));
                        IoBuffer b = e.allocate(512);
                        for (int i = 0; i < 300; i++) {
                            b.putInt(0, id * 100_000 + i);
                            assertEquals(512, await(f.write(b, 512L * i)));
                        }
                        await(f.sync(FsyncKind.DATA));
                        for (int i = 0; i < 300; i++) {
                            assertEquals(512, await(f.read(b, 512L * i)));
                            assertEquals(id * 100_000 + i, b.getInt(0));
                        }
                        await(f.close());
                    } catch (Throwable ex) {
                        errors.add(ex);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(List.of(), errors);
            for (int t = 0; t < 4; t++) {
                assertEquals(512L * 300, Files.size(dir.resolve("t" + t)));
            }
        } finally {
            e.close();
        }
    }

    @Test
    void malformedSettingsAreRefusedWithTheKey() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> provider().open(DiskIoConfig.of(Map.of(UringSettings.ENTRIES, "lots"))));
        assertTrue(ex.getMessage().contains("uring.entries"), ex.getMessage());
    }
}
