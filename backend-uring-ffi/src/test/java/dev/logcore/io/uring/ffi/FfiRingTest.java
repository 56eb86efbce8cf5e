package dev.logcore.io.uring.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.uring.RingException;
import dev.logcore.io.uring.RingSetup;
import dev.logcore.io.uring.Sqe;
import dev.logcore.io.uring.testkit.TestSupport;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ring through the {@link dev.logcore.io.uring.KernelRing} contract: setup and teardown, SQEs
 * written in place and CQEs copied out (NOP, READ, WRITE round trips, wrapping the rings many
 * times), the probe, registration, SQPOLL, the eventfd wake-up, the blocking fallbacks, and
 * argument checks that stop bad values before memory is touched.
 */
@Timeout(60)
class FfiRingTest {
    static final int DEFAULT_FLAGS = Sqe.SETUP_SUBMIT_ALL | Sqe.SETUP_SINGLE_ISSUER | Sqe.SETUP_DEFER_TASKRUN | Sqe.SETUP_CQSIZE;

    @TempDir
    Path dir;

    static FfiRing ring(int entries) throws RingException {
        return FfiRing.open(new RingSetup(entries, 2 * entries, DEFAULT_FLAGS, 0, 0));
    }

    static void nop(FfiRing ring, int i, long userData) {
        Sqe.write(ring.sqes(), ring.sqeOffset(i), Sqe.OP_NOP, 0, -1, 0, 0, 0, 0, userData, 0);
    }

    static MemorySegment path(Arena arena, Path p) {
        return arena.allocateFrom(p.toAbsolutePath().toString());
    }

    @Test
    void nopRoundTrip() throws Exception {
        try (FfiRing ring = ring(8)) {
            assertEquals(8, ring.info().sqEntries());
            assertEquals(16, ring.info().cqEntries());
            assertEquals(DEFAULT_FLAGS, ring.info().setupFlags(), "the kernel kept exactly the flags asked");
            assertEquals(8, ring.sqSpace());
            for (int i = 0; i < 8; i++) {
                nop(ring, i, 100 + i);
            }
            assertEquals(8, ring.submitAndReap(8, 8));
            for (int i = 0; i < 8; i++) {
                assertEquals(100 + i, Sqe.cqeUserData(ring.cqes(), i));
                assertEquals(0, Sqe.cqeRes(ring.cqes(), i));
            }
            assertEquals(8, ring.sqSpace());
            assertEquals(1, ring.enterCalls());
            assertEquals(0, ring.submitAndReap(0, 0), "nothing more is ready");
            assertEquals(0, ring.sqDropped());
            assertEquals(0, ring.cqOverflow());
        }
    }

    @Test
    void manyLapsAroundBothRings() throws Exception {
        try (FfiRing ring = FfiRing.open(new RingSetup(4, 0, 0, 0, 0))) {
            assertEquals(8, ring.info().cqEntries());
            long next = 1;
            long seen = 1;
            for (int lap = 0; lap < 2000; lap++) {
                int n = 1 + lap % 4;
                for (int i = 0; i < n; i++) {
                    nop(ring, i, next++);
                }
                // Alternate waiting for all and for none, so completions pile up across calls.
                int got = ring.submitAndReap(n, lap % 2 == 0 ? n : 0);
                for (int i = 0; i < got; i++) {
                    assertEquals(seen++, Sqe.cqeUserData(ring.cqes(), i));
                }
            }
            while (seen < next) {
                int got = ring.submitAndReap(0, 1);
                for (int i = 0; i < got; i++) {
                    assertEquals(seen++, Sqe.cqeUserData(ring.cqes(), i));
                }
            }
            assertEquals(next, seen);
        }
    }

    @Test
    void withoutDeferredTaskrunAnIdlePollDoesNotEnter() throws Exception {
        try (FfiRing ring = FfiRing.open(new RingSetup(4, 0, 0, 0, 0))) {
            nop(ring, 0, 1);
            assertEquals(1, ring.submitAndReap(1, 1));
            long enters = ring.enterCalls();
            for (int i = 0; i < 10; i++) {
                assertEquals(0, ring.submitAndReap(0, 0));
            }
            assertEquals(enters, ring.enterCalls(), "nothing to submit, wait for or flush: no system call");
        }
    }

    @Test
    void ringsMappedApartWorkTheSame() throws Exception {
        long mapsBefore = ringMappings();
        try (FfiRing single = ring(4); FfiRing apart = FfiRing.open(new RingSetup(4, 8, DEFAULT_FLAGS, 0, 0), false)) {
            assertTrue(single.singleMapping());
            assertFalse(apart.singleMapping(), "SQ and CQ rings in two mappings, as before Linux 5.4");
            assertEquals(mapsBefore + 5, ringMappings(), "2 mappings for the single ring, 3 for the other");
            for (int lap = 0; lap < 50; lap++) {
                for (int i = 0; i < 4; i++) {
                    nop(apart, i, lap * 4L + i);
                }
                assertEquals(4, apart.submitAndReap(4, 4));
                for (int i = 0; i < 4; i++) {
                    assertEquals(lap * 4L + i, Sqe.cqeUserData(apart.cqes(), i));
                }
            }
        }
        assertEquals(mapsBefore, ringMappings());
    }

    @Test
    void writeThenReadRoundTrip() throws Exception {
        Path file = dir.resolve("data");
        byte[] content = "hello io_uring through jnr-ffi".getBytes(StandardCharsets.UTF_8);
        try (FfiRing ring = ring(8); Arena arena = Arena.ofConfined()) {
            int fd = ring.openFile(path(arena, file), Sqe.O_RDWR | Sqe.O_CREAT, 0644);
            assertTrue(fd >= 0, "open: " + fd);
            try {
                MemorySegment out = arena.allocate(4096, 4096);
                MemorySegment.copy(content, 0, out, ValueLayout.JAVA_BYTE, 0, content.length);
                MemorySegment in = arena.allocate(4096, 4096);
                // A write linked to a read of the same bytes: one batch, one enter.
                Sqe.write(ring.sqes(), ring.sqeOffset(0), Sqe.OP_WRITE, Sqe.IOSQE_IO_LINK, fd, 0, out.address(),
                        content.length, 0, 1, 0);
                Sqe.write(ring.sqes(), ring.sqeOffset(1), Sqe.OP_READ, 0, fd, 6, in.address(), 4096, 0, 2, 0);
                assertEquals(2, ring.submitAndReap(2, 2));
                assertEquals(1, Sqe.cqeUserData(ring.cqes(), 0));
                assertEquals(content.length, Sqe.cqeRes(ring.cqes(), 0));
                assertEquals(2, Sqe.cqeUserData(ring.cqes(), 1));
                assertEquals(content.length - 6, Sqe.cqeRes(ring.cqes(), 1));
                byte[] got = in.asSlice(0, content.length - 6).toArray(ValueLayout.JAVA_BYTE);
                assertEquals("io_uring through jnr-ffi", new String(got, StandardCharsets.UTF_8));
                assertEquals(content.length, ring.fileSize(fd));
            } finally {
                assertEquals(0, ring.closeFile(fd));
            }
            assertEquals("hello io_uring through jnr-ffi", Files.readString(file));
        }
    }

    @Test
    void kernelErrorsComeBackAsNegativeErrno() throws Exception {
        try (FfiRing ring = ring(2); Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(512, 4096);
            Sqe.write(ring.sqes(), ring.sqeOffset(0), Sqe.OP_READ, 0, 1_000_000, 0, buf.address(), 512, 0, 7, 0);
            assertEquals(1, ring.submitAndReap(1, 1));
            assertEquals(7, Sqe.cqeUserData(ring.cqes(), 0));
            assertEquals(-9, Sqe.cqeRes(ring.cqes(), 0), "EBADF");
        }
    }

    @Test
    void probeSeesTheOpcodesTheEngineUses() throws Exception {
        try (FfiRing ring = ring(2)) {
            for (int op : new int[] {Sqe.OP_NOP, Sqe.OP_WRITEV, Sqe.OP_FSYNC, Sqe.OP_READ_FIXED, Sqe.OP_WRITE_FIXED,
                    Sqe.OP_TIMEOUT, Sqe.OP_ASYNC_CANCEL, Sqe.OP_FALLOCATE, Sqe.OP_OPENAT, Sqe.OP_CLOSE,
                    Sqe.OP_FILES_UPDATE, Sqe.OP_STATX, Sqe.OP_READ, Sqe.OP_WRITE, Sqe.OP_FTRUNCATE}) {
                assertTrue(ring.info().supports(op), Sqe.opName(op) + " in " + ring.info().supportedOps());
            }
            assertFalse(ring.info().supports(255));
        }
    }

    @Test
    void registeredBuffersAndSparseFiles() throws Exception {
        Path file = dir.resolve("fixed");
        byte[] content = new byte[8192];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        Files.write(file, content);
        try (FfiRing ring = ring(4); Arena arena = Arena.ofShared()) {
            MemorySegment pool = arena.allocate(16384, 4096);
            ring.registerBuffers(new MemorySegment[] {pool.asSlice(0, 8192), pool.asSlice(8192, 8192)});
            assertThrows(IllegalStateException.class, () -> ring.registerBuffers(new MemorySegment[] {pool}));
            ring.registerFiles(4);
            int fd = ring.openFile(path(arena, file), Sqe.O_RDONLY, 0);
            assertTrue(fd >= 0);
            try {
                // Install fd in slot 2 the way the engine does: an IORING_OP_FILES_UPDATE SQE.
                MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 1);
                fds.set(ValueLayout.JAVA_INT, 0, fd);
                Sqe.write(ring.sqes(), ring.sqeOffset(0), Sqe.OP_FILES_UPDATE, 0, -1, 2, fds.address(), 1, 0, 1, 0);
                assertEquals(1, ring.submitAndReap(1, 1));
                assertEquals(1, Sqe.cqeRes(ring.cqes(), 0), "one slot updated");
                // READ_FIXED from fixed file slot 2 into registered buffer 1.
                Sqe.write(ring.sqes(), ring.sqeOffset(0), Sqe.OP_READ_FIXED, Sqe.IOSQE_FIXED_FILE, 2, 4096,
                        pool.address() + 8192, 4096, 0, 2, 1);
                assertEquals(1, ring.submitAndReap(1, 1));
                assertEquals(4096, Sqe.cqeRes(ring.cqes(), 0));
                for (int i = 0; i < 4096; i++) {
                    assertEquals(content[4096 + i], pool.get(ValueLayout.JAVA_BYTE, 8192 + i));
                }
                // Reaching outside the registered buffer: the kernel refuses (EFAULT) and touches nothing.
                Sqe.write(ring.sqes(), ring.sqeOffset(0), Sqe.OP_READ_FIXED, Sqe.IOSQE_FIXED_FILE, 2, 0,
                        pool.address() + 8192 + 4096, 8192, 0, 3, 1);
                assertEquals(1, ring.submitAndReap(1, 1));
                assertEquals(-14, Sqe.cqeRes(ring.cqes(), 0));
                // An empty slot is EBADF.
                Sqe.write(ring.sqes(), ring.sqeOffset(0), Sqe.OP_READ_FIXED, Sqe.IOSQE_FIXED_FILE, 3, 0,
                        pool.address(), 4096, 0, 4, 0);
                assertEquals(1, ring.submitAndReap(1, 1));
                assertEquals(-9, Sqe.cqeRes(ring.cqes(), 0));
            } finally {
                ring.closeFile(fd);
            }
        }
    }

    @Test
    void sqpollRing() throws Exception {
        try (FfiRing ring = FfiRing.open(new RingSetup(8, 16, Sqe.SETUP_SQPOLL | Sqe.SETUP_CQSIZE | Sqe.SETUP_SUBMIT_ALL, 5, 0))) {
            assertTrue((ring.info().setupFlags() & Sqe.SETUP_SQPOLL) != 0);
            for (int round = 0; round < 40; round++) {
                nop(ring, 0, round);
                int got = ring.submitAndReap(1, 0);
                while (got == 0) {
                    got = ring.submitAndReap(0, 1);
                }
                assertEquals(1, got);
                assertEquals(round, Sqe.cqeUserData(ring.cqes(), 0));
                if (round % 8 == 0) {
                    Thread.sleep(20); // the poller sleeps after 5 ms idle: NEED_WAKEUP is exercised
                }
            }
            assertTrue(ring.enterCalls() < 200, "SQPOLL skips most enters, made " + ring.enterCalls());
        }
    }

    @Test
    void wakeCompletesTheArmedRead() throws Exception {
        try (FfiRing ring = ring(4); Arena arena = Arena.ofConfined()) {
            MemorySegment counter = arena.allocate(8, 8);
            long internal = 1L << 63;
            for (int round = 0; round < 20; round++) {
                Sqe.write(ring.sqes(), ring.sqeOffset(0), Sqe.OP_READ, 0, ring.wakeFd(), 0, counter.address(), 8, 0, internal | round, 0);
                assertEquals(0, ring.submitAndReap(1, 0), "nothing completes before the wake");
                Thread waker = Thread.ofPlatform().start(() -> {
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    ring.wake();
                });
                int got = 0;
                while (got == 0) {
                    got = ring.submitAndReap(0, 1);
                }
                waker.join();
                assertEquals(1, got);
                assertEquals(internal | round, Sqe.cqeUserData(ring.cqes(), 0));
                assertEquals(8, Sqe.cqeRes(ring.cqes(), 0));
                assertEquals(1, counter.get(ValueLayout.JAVA_LONG, 0));
            }
        }
    }

    @Test
    void fallbacksAnswerWithNegativeErrno() throws Exception {
        Path file = dir.resolve("fallbacks");
        try (FfiRing ring = ring(2); Arena arena = Arena.ofConfined()) {
            assertEquals(-2, ring.openFile(path(arena, dir.resolve("missing")), Sqe.O_RDONLY, 0), "ENOENT");
            assertEquals(-21, ring.openFile(path(arena, dir), Sqe.O_RDWR, 0), "EISDIR");
            int fd = ring.openFile(path(arena, file), Sqe.O_RDWR | Sqe.O_CREAT | Sqe.O_EXCL, 0644);
            assertTrue(fd >= 0);
            assertEquals(-17, ring.openFile(path(arena, file), Sqe.O_RDWR | Sqe.O_CREAT | Sqe.O_EXCL, 0644), "EEXIST");
            assertEquals(0, ring.fileSize(fd));
            assertEquals(0, ring.truncate(fd, 12345));
            assertEquals(12345, ring.fileSize(fd));
            assertEquals(0, ring.fallocate(fd, 0, 0, 65536));
            assertEquals(65536, ring.fileSize(fd));
            assertEquals(-22, ring.truncate(fd, -1), "EINVAL");
            assertEquals(0, ring.closeFile(fd));
            assertEquals(-9, ring.closeFile(fd), "EBADF");
            assertEquals(-9, ring.fileSize(fd));
            assertEquals(-9, ring.truncate(fd, 0));
            assertEquals(-9, ring.fallocate(fd, 0, 0, 1));
            assertEquals(-9, ring.closeFile(-1));
            MemorySegment unterminated = arena.allocate(4);
            unterminated.fill((byte) 'a');
            assertThrows(IllegalArgumentException.class, () -> ring.openFile(unterminated, Sqe.O_RDONLY, 0));
            assertThrows(IllegalArgumentException.class,
                    () -> ring.openFile(MemorySegment.ofArray(new byte[] {'/', 0}), Sqe.O_RDONLY, 0));
        }
    }

    @Test
    void setupFailuresNameTheErrnoAndLeakNothing() throws Exception {
        long fdsBefore = openFds();
        RingException e = assertThrows(RingException.class, () -> FfiRing.open(new RingSetup(8, 0, 1 << 30, 0, 0)));
        assertEquals(22, e.errno(), e.getMessage());
        e = assertThrows(RingException.class, () -> FfiRing.open(new RingSetup(8, 4, Sqe.SETUP_CQSIZE, 0, 0)));
        assertEquals(22, e.errno(), "CQ smaller than SQ: " + e.getMessage());
        assertEquals(fdsBefore, openFds());
    }

    @Test
    void argumentsAreCheckedBeforeMemoryIsTouched() throws Exception {
        try (FfiRing ring = ring(2)) {
            assertThrows(IllegalArgumentException.class, () -> ring.submitAndReap(3, 0), "more SQEs than space");
            assertThrows(IllegalArgumentException.class, () -> ring.submitAndReap(-1, 0));
            assertThrows(IllegalArgumentException.class, () -> ring.submitAndReap(0, -1));
            assertThrows(IndexOutOfBoundsException.class, () -> ring.sqeOffset(2));
            assertThrows(IndexOutOfBoundsException.class, () -> ring.sqeOffset(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> ring.sqes().get(ValueLayout.JAVA_LONG, Sqe.SIZE * 2));
            assertThrows(IndexOutOfBoundsException.class, () -> ring.cqes().get(ValueLayout.JAVA_LONG, Sqe.CQE_SIZE * 4));
            assertThrows(IllegalArgumentException.class, () -> ring.registerBuffers(new MemorySegment[] {MemorySegment.ofArray(new byte[4096])}));
            assertThrows(IllegalArgumentException.class, () -> ring.registerBuffers(new MemorySegment[0]));
            assertThrows(IllegalArgumentException.class, () -> ring.registerFiles(0));
            assertThrows(IllegalArgumentException.class,
                    () -> Syscalls.get().ioUringRegister(ring.info().sqEntries(), 0, Arena.global().allocate(8), 16, 1));
        }
    }

    @Test
    void closedRingRefusesAccessAndFreesEverything() throws Exception {
        long fdsBefore = openFds();
        long mapsBefore = ringMappings();
        List<FfiRing> rings = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rings.add(ring(8));
        }
        assertEquals(fdsBefore + 20, openFds(), "a ring fd and an eventfd each");
        assertTrue(ringMappings() >= mapsBefore + 20);
        for (FfiRing r : rings) {
            r.close();
            r.close();
        }
        assertEquals(fdsBefore, openFds());
        assertEquals(mapsBefore, ringMappings());
        FfiRing closed = rings.get(0);
        assertThrows(IllegalStateException.class, closed::sqSpace);
        assertThrows(IllegalStateException.class, () -> closed.submitAndReap(0, 0));
        closed.wake(); // harmless after close
        assertNotNull(closed.toString());
    }

    static long openFds() throws Exception {
        return TestSupport.openFds();
    }

    static long ringMappings() throws Exception {
        return TestSupport.ringMappings();
    }
}
