package dev.logcore.io.uring.jni;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.FsyncKind;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.IoFuture;
import dev.logcore.io.OpenFlag;
import dev.logcore.io.ProviderVariant;
import dev.logcore.io.uring.RingEngine;
import dev.logcore.io.uring.Sqe;
import dev.logcore.io.uring.UringSettings;
import java.io.FileOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** On the real kernel: each variant really uses what it is named after; cancel reaches the kernel. */
class UringJniEngineTest {

    private static RingEngine engine(Map<String, String> settings) throws Exception {
        DiskIo e = new UringJniProvider().open(DiskIoConfig.of(settings));
        return (RingEngine) e;
    }

    private static <T> T await(IoFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    /** Writes, reads back, syncs (linked), truncates and sizes one file; returns what it read. */
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
        assertEquals(8192L, await(f.writeThenSync(List.of(w), 8192, FsyncKind.DATA)));
        IoBuffer r = e.allocate(8192);
        assertEquals(8192, await(f.read(r, 8192)));
        await(f.truncate(12288));
        assertEquals(12288L, await(f.size()));
        byte[] got = r.toArray(0, 8192);
        await(f.close());
        return got;
    }

    @Test
    void everyVariantUsesWhatItIsNamedAfter() throws Exception {
        Path dir = TestSupport.dir("variants");
        for (ProviderVariant v : new UringJniProvider().variants()) {
            for (boolean direct : new boolean[] {false, true}) {
                RingEngine e = engine(v.settings());
                try {
                    byte[] got = exercise(e, dir.resolve(v.name() + (direct ? "-direct" : "") + ".dat"), direct);
                    assertEquals((byte) 13, got[1]);
                    long fixedBufs = e.sqesWritten(Sqe.OP_READ_FIXED) + e.sqesWritten(Sqe.OP_WRITE_FIXED);
                    String what = v.name() + (direct ? "/direct" : "") + ": " + e.report();
                    assertEquals(1, e.linkedSqes(), what + ": write-then-sync was linked");
                    switch (v.name()) {
                        case "plain" -> {
                            assertEquals(0, fixedBufs, what);
                            assertEquals(0, e.fixedFileSqes(), what);
                        }
                        case "registered-buffers" -> {
                            assertTrue(e.sqesWritten(Sqe.OP_READ_FIXED) >= 1 && e.sqesWritten(Sqe.OP_WRITE_FIXED) >= 2, what);
                            assertEquals(0, e.fixedFileSqes(), what);
                        }
                        case "registered-files" -> {
                            assertEquals(0, fixedBufs, what);
                            assertTrue(e.fixedFileSqes() >= 5, what);
                        }
                        case "sqpoll" -> assertTrue(e.report().sqpoll(), what);
                        case "fallbacks" -> {
                            assertEquals(0, e.sqesWritten(Sqe.OP_READ) + e.sqesWritten(Sqe.OP_WRITE) + fixedBufs, what);
                            assertEquals(0, e.sqesWritten(Sqe.OP_FTRUNCATE) + e.sqesWritten(Sqe.OP_STATX)
                                    + e.sqesWritten(Sqe.OP_OPENAT) + e.sqesWritten(Sqe.OP_CLOSE), what);
                            assertTrue(e.sqesWritten(Sqe.OP_READV) >= 1, what);
                        }
                        default -> throw new AssertionError("a variant this test does not know: " + v.name());
                    }
                    if (!v.name().equals("fallbacks")) {
                        assertTrue(e.sqesWritten(Sqe.OP_FTRUNCATE) == 1 && e.sqesWritten(Sqe.OP_STATX) == 1
                                && e.sqesWritten(Sqe.OP_OPENAT) == 1, what + ": this kernel's opcodes are used");
                    }
                } finally {
                    e.close();
                }
            }
        }
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
            Thread.sleep(300); // long enough for the ring thread to hand it to the kernel
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
            assertTrue(new UringJniProvider().probe(DiskIoConfig.of(Map.of(UringSettings.IOPOLL, "true"))).available());
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
    void malformedSettingsAreRefusedWithTheKey() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> new UringJniProvider().open(DiskIoConfig.of(Map.of(UringSettings.ENTRIES, "lots"))));
        assertTrue(ex.getMessage().contains("uring.entries"), ex.getMessage());
    }
}
