package dev.logcore.io.uring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.DiskIoException;
import dev.logcore.io.Errno;
import dev.logcore.io.FsyncKind;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.IoFuture;
import dev.logcore.io.OpKind;
import dev.logcore.io.OpenFlag;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine against {@link FakeRing}: the corners a real kernel reaches only by chance, forced
 * and checked deterministically.
 */
class RingEngineTest {
    private final FakeRing.Kernel kernel = new FakeRing.Kernel();
    private final List<RingEngine> engines = new ArrayList<>();

    private RingEngine engine(Map<String, String> settings) throws DiskIoException {
        RingEngine e = RingEngine.open("fake", DiskIoConfig.of(settings), kernel::open);
        engines.add(e);
        return e;
    }

    private RingEngine engine() throws DiskIoException {
        return engine(Map.of());
    }

    @AfterEach
    void closeAll() {
        engines.forEach(RingEngine::close);
    }

    static <T> T await(IoFuture<T> f) throws Exception {
        try {
            return f.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    static DiskIoException failure(IoFuture<?> f) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
        return assertInstanceOf(DiskIoException.class, e.getCause());
    }

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    /** A buffer of {@code n} bytes holding {@link #pattern}. */
    private static IoBuffer patterned(RingEngine e, int n, int seed) {
        IoBuffer b = e.allocate(n);
        b.put(0, pattern(n, seed));
        return b;
    }

    private DiskFile create(RingEngine e, String name) throws Exception {
        return await(e.open(Path.of(name), OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE));
    }

    /** A read the fake kernel holds (set {@code kernel.holdFifoReads}), once it waits there. */
    private record HeldRead(DiskFile file, IoBuffer buffer, IoFuture<Integer> read) {
    }

    private HeldRead heldRead(RingEngine e) throws Exception {
        DiskFile f = create(e, "hold.fifo");
        IoBuffer b = e.allocate(4096);
        IoFuture<Integer> read = f.read(b, 0);
        waitFor(() -> kernel.rings.get(0).heldReads() == 1);
        return new HeldRead(f, b, read);
    }

    @Test
    void shortWritesAreResubmittedUntilEveryByteIsWritten() throws Exception {
        kernel.maxWrite = 1000;
        RingEngine e = engine();
        DiskFile f = create(e, "short.dat");
        IoBuffer b = patterned(e, 10_000, 1);
        assertEquals(10_000, await(f.write(b, 0)));
        assertArrayEquals(pattern(10_000, 1), kernel.file("short.dat").read(0, 10_000));
        assertTrue(e.sqesWritten(Sqe.OP_WRITE_FIXED) + e.sqesWritten(Sqe.OP_WRITE) >= 10, "one SQE per short piece");
        assertTrue(b.isOwned());
    }

    @Test
    void shortReadsOfARegularFileAreContinuedToTheEnd() throws Exception {
        RingEngine e = engine();
        DiskFile f = create(e, "read.dat");
        IoBuffer w = patterned(e, 9000, 2);
        await(f.write(w, 0));
        kernel.maxRead = 700;
        IoBuffer r = e.allocate(9000);
        assertEquals(9000, await(f.read(r, 0)));
        assertArrayEquals(pattern(9000, 2), r.toArray(0, 9000));
        IoBuffer past = e.allocate(100);
        assertEquals(0, await(f.read(past, 20_000)), "0 at the end");
    }

    @Test
    void writevAboveIovMaxGoesInStepsOfAtMostIovMaxAndLandsContiguously() throws Exception {
        RingEngine e = engine();
        DiskFile f = create(e, "writev.dat");
        List<IoBuffer> bufs = new ArrayList<>();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 2500; i++) {
            byte[] p = pattern(10 + i % 13, i);
            IoBuffer b = e.allocate(p.length);
            b.put(0, p);
            bufs.add(b);
            all.writeBytes(p);
        }
        assertEquals(all.size(), await(f.writev(bufs, 5)));
        assertEquals(Sqe.IOV_MAX, kernel.maxIovecs, "full steps of IOV_MAX iovecs");
        assertEquals(3, e.sqesWritten(Sqe.OP_WRITEV), "2500 buffers: 1024 + 1024 + 452");
        assertArrayEquals(all.toByteArray(), kernel.file("writev.dat").read(5, all.size()));
        bufs.forEach(b -> assertTrue(b.isOwned()));
    }

    @Test
    void shortWritevStepsResumeInsideABuffer() throws Exception {
        kernel.maxWrite = 777;
        RingEngine e = engine();
        DiskFile f = create(e, "writev-short.dat");
        List<IoBuffer> bufs = new ArrayList<>();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 40; i++) {
            byte[] p = pattern(100 + i * 17, i);
            IoBuffer b = e.allocate(p.length);
            b.put(0, p);
            bufs.add(b);
            all.writeBytes(p);
        }
        assertEquals(all.size(), await(f.writev(bufs, 0)));
        assertArrayEquals(all.toByteArray(), kernel.file("writev-short.dat").read(0, all.size()));
    }

    @Test
    void writeThenSyncLinksTheSyncToTheWriteThatEndsIt() throws Exception {
        RingEngine e = engine();
        DiskFile f = create(e, "wts.dat");
        IoBuffer a = e.allocate(3000);
        IoBuffer b = e.allocate(5000);
        assertEquals(8000L, await(f.writeThenSync(List.of(a, b), 0, FsyncKind.DATA)));
        assertEquals(1, e.linkedSqes(), "the write carried IOSQE_IO_LINK");
        assertEquals(1, kernel.fsyncs);
        int w = kernel.log.lastIndexOf("WRITEV+LINK+FIXED");
        assertTrue(w >= 0 && kernel.log.get(w + 1).startsWith("FSYNC"), "the sync directly follows its write: " + kernel.log);
    }

    @Test
    void aFailedWriteReportsTheWritesErrorAndItsLinkedSyncNeverRuns() throws Exception {
        RingEngine e = engine();
        await(create(e, "ro.dat").close());
        DiskFile ro = await(e.open(Path.of("ro.dat"), OpenFlag.READ));
        DiskIoException err = failure(ro.writeThenSync(List.of(e.allocate(512)), 0, FsyncKind.FULL));
        assertEquals(Errno.EBADF, err.errno(), "the write's error, not the sync's ECANCELED: " + err.getMessage());
        assertEquals(OpKind.WRITE_SYNC, err.operation());
        assertEquals(0, kernel.fsyncs, "the linked sync was cancelled by the failed write");
        assertTrue(kernel.log.contains("cancelled-by-link FSYNC"), kernel.log.toString());
    }

    @Test
    void aShortLinkedWriteIsFinishedAndSyncedAfterwards() throws Exception {
        kernel.maxWrite = 1500;
        RingEngine e = engine();
        DiskFile f = create(e, "wts-short.dat");
        IoBuffer a = patterned(e, 4000, 9);
        assertEquals(4000L, await(f.writeThenSync(List.of(a), 0, FsyncKind.DATA)));
        assertArrayEquals(pattern(4000, 9), kernel.file("wts-short.dat").read(0, 4000));
        assertEquals(1, kernel.fsyncs, "exactly one sync ran: after the last piece");
        int lastWrite = Math.max(kernel.log.lastIndexOf("WRITE_FIXED+LINK+FIXED"), kernel.log.lastIndexOf("WRITE+LINK+FIXED"));
        int sync = kernel.log.lastIndexOf("FSYNC+FIXED");
        assertTrue(sync > lastWrite && lastWrite >= 0, kernel.log.toString());
    }

    @Test
    void anOperationWaitingInTheKernelIsCancelledWithAsyncCancel() throws Exception {
        kernel.holdFifoReads = true;
        RingEngine e = engine();
        HeldRead held = heldRead(e);
        assertFalse(held.read().cancel(true), "in the kernel: cancel is a request");
        assertThrows(java.util.concurrent.CancellationException.class, () -> held.read().get(10, TimeUnit.SECONDS));
        assertTrue(held.read().isCancelled());
        assertTrue(held.buffer().isOwned(), "the buffer is back once the kernel let go");
        assertTrue(kernel.log.contains("ASYNC_CANCEL"), kernel.log.toString());
        assertEquals(1, e.stats().of(OpKind.READ).errors());
    }

    @Test
    void anOperationStuckInTheKernelFailsAtCloseAndKeepsItsBufferAndTheRing() throws Exception {
        kernel.holdFifoReads = true;
        kernel.stuck = true;
        RingEngine e = engine(Map.of(DiskIoConfig.CLOSE_TIMEOUT_MS, "300"));
        HeldRead held = heldRead(e);
        long t0 = System.nanoTime();
        e.close();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 5_000, "close is bounded: " + ms + " ms");
        DiskIoException err = failure(held.read());
        assertEquals(Errno.ECANCELED, err.errno());
        assertTrue(err.getMessage().contains("stuck"), err.getMessage());
        assertTrue(held.buffer().isInFlight(), "the kernel may still write into it: it stays in flight for good");
        assertFalse(kernel.rings.get(0).closed, "the ring is leaked, not freed under the kernel");
        assertEquals(0, e.stats().inFlight());
    }

    @Test
    void closeCancelsWhatWaitsInTheKernelAndFreesTheRing() throws Exception {
        kernel.holdFifoReads = true;
        RingEngine e = engine();
        HeldRead held = heldRead(e);
        e.close();
        DiskIoException err = failure(held.read());
        assertEquals(Errno.ECANCELED, err.errno());
        assertTrue(held.buffer().isOwned());
        assertTrue(kernel.rings.get(0).closed, "the ring is freed once nothing is left in the kernel");
        assertEquals(0, kernel.rings.get(0).openFds(), "the engine closed its files");
        assertFalse(held.file().isOpen());
    }

    @Test
    void missingOpcodesFallBackToBlockingCalls() throws Exception {
        kernel.supported.clear(Sqe.OP_FTRUNCATE);
        kernel.supported.clear(Sqe.OP_FALLOCATE);
        kernel.supported.clear(Sqe.OP_STATX);
        kernel.supported.clear(Sqe.OP_OPENAT);
        kernel.supported.clear(Sqe.OP_CLOSE);
        kernel.supported.clear(Sqe.OP_READ);
        kernel.supported.clear(Sqe.OP_WRITE);
        RingEngine e = engine(Map.of(UringSettings.REGISTERED_BUFFERS, "0"));
        DiskFile f = create(e, "fb.dat");
        IoBuffer b = patterned(e, 100, 3);
        assertEquals(100, await(f.write(b, 0)));
        await(f.truncate(50));
        assertEquals(50L, await(f.size()));
        await(f.preallocate(0, 200));
        assertEquals(200L, await(f.size()));
        IoBuffer r = e.allocate(100);
        assertEquals(100, await(f.read(r, 0)));
        await(f.close());
        assertTrue(kernel.blockingCalls >= 5, "open, truncate, size x2, fallocate, close ran as system calls: " + kernel.blockingCalls);
        assertEquals(0, e.sqesWritten(Sqe.OP_WRITE) + e.sqesWritten(Sqe.OP_FTRUNCATE) + e.sqesWritten(Sqe.OP_OPENAT));
        assertTrue(e.sqesWritten(Sqe.OP_WRITEV) >= 1 && e.sqesWritten(Sqe.OP_READV) >= 1, "READV/WRITEV stand in for READ/WRITE");
        assertTrue(e.report().fallbacks().get(Sqe.OP_FTRUNCATE));
    }

    @Test
    void aKernelWithoutTheEssentialOpcodesIsRefusedWithEnosys() {
        kernel.supported.clear(Sqe.OP_ASYNC_CANCEL);
        DiskIoException e = assertThrows(DiskIoException.class, this::engine);
        assertEquals(Errno.ENOSYS, e.errno());
        assertTrue(e.getMessage().contains("ASYNC_CANCEL"), e.getMessage());
    }

    @Test
    void setupFlagsTheKernelRejectsAreDroppedInTheDocumentedOrder() throws Exception {
        kernel.rejectFlags = Sqe.SETUP_DEFER_TASKRUN;
        RingEngine e = engine();
        int flags = e.report().setupFlags();
        assertEquals(0, flags & (Sqe.SETUP_DEFER_TASKRUN | Sqe.SETUP_SINGLE_ISSUER));
        assertTrue((flags & Sqe.SETUP_COOP_TASKRUN) != 0, Sqe.setupFlagNames(flags));
        kernel.rejectFlags = Sqe.SETUP_SUBMIT_ALL;
        assertEquals(Sqe.SETUP_CQSIZE, engine().report().setupFlags());
    }

    @Test
    void registeredBuffersUseTheFixedOpcodesAndOtherBuffersDoNot() throws Exception {
        RingEngine e = engine(Map.of(UringSettings.REGISTERED_BUFFERS, "1"));
        DiskFile f = create(e, "fixed.dat");
        IoBuffer mine = e.allocate(4096);
        IoBuffer other = IoBuffer.allocate(4096);
        await(f.write(mine, 0));
        await(f.write(other, 4096));
        await(f.read(mine, 0));
        await(f.read(other, 0));
        assertEquals(1, e.sqesWritten(Sqe.OP_WRITE_FIXED));
        assertEquals(1, e.sqesWritten(Sqe.OP_READ_FIXED));
        assertEquals(1, e.sqesWritten(Sqe.OP_WRITE));
        assertEquals(1, e.sqesWritten(Sqe.OP_READ));
        IoBuffer big = e.allocate(2 << 20);
        assertTrue(big.regionTag() == null, "larger than the pool: a plain buffer");
    }

    @Test
    void admissionBeyondMaxInFlightFailsWithEagain() throws Exception {
        kernel.holdFifoReads = true;
        RingEngine e = engine(Map.of(DiskIoConfig.MAX_IN_FLIGHT, "2"));
        DiskFile f = create(e, "hold.fifo");
        // The fake's "FIFO" is a regular file to the engine: reads of exactly what is fed end them.
        IoFuture<Integer> a = f.read(e.allocate(2), 0);
        IoFuture<Integer> b = f.read(e.allocate(2), 0);
        IoBuffer c = e.allocate(10);
        DiskIoException err = failure(f.read(c, 0));
        assertEquals(Errno.EAGAIN, err.errno());
        assertTrue(c.isOwned(), "a refused operation gives its buffer back");
        waitFor(() -> kernel.rings.get(0).heldReads() == 2);
        kernel.rings.get(0).feedHeld("xy".getBytes());
        assertEquals(2, await(a));
        assertEquals(2, await(b));
    }

    @Test
    void moreCompletionsThanOneCallCopiesAreAllDispatched() throws Exception {
        kernel.cqeCapacity = 3;
        RingEngine e = engine();
        DiskFile f = create(e, "many.dat");
        List<IoFuture<Integer>> ws = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            IoBuffer b = e.allocate(64);
            b.putInt(0, i);
            ws.add(f.write(b, i * 64L));
        }
        for (IoFuture<Integer> w : ws) {
            assertEquals(64, await(w));
        }
        assertEquals(200, e.stats().of(OpKind.WRITE).count());
        assertTrue(e.stats().meanBatch() >= 1.0, "batches of at least one: " + e.stats().meanBatch());
    }

    @Test
    void filesUseFixedSlotsAndGiveThemBack() throws Exception {
        RingEngine e = engine(Map.of(UringSettings.REGISTERED_FILES, "2"));
        DiskFile a = create(e, "a.dat");
        DiskFile b = create(e, "b.dat");
        DiskFile c = create(e, "c.dat"); // the table is full: a plain descriptor
        await(a.write(e.allocate(10), 0));
        await(c.write(e.allocate(10), 0));
        assertEquals(1, e.fixedFileSqes(), "a used its slot, c its descriptor");
        await(a.close());
        DiskFile d = create(e, "d.dat"); // gets a's slot back
        await(d.write(e.allocate(10), 0));
        assertEquals(2, e.fixedFileSqes());
        await(b.close());
        await(c.close());
        await(d.close());
        assertEquals(0, kernel.rings.get(0).openFds());
    }

    private static void waitFor(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not reached within 10 s");
            }
            Thread.sleep(2);
        }
    }
}
