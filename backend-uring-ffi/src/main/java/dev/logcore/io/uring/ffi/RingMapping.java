package dev.logcore.io.uring.ffi;

import dev.logcore.io.uring.RingException;
import dev.logcore.io.uring.RingSetup;
import dev.logcore.io.uring.Sqe;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * An io_uring instance and its shared memory, mapped once: io_uring_setup, then the SQ ring, the CQ
 * ring (the same mapping when the kernel has IORING_FEAT_SINGLE_MMAP) and the SQE array, each as a
 * {@link MemorySegment} of exactly its mapped size.
 *
 * <p>The kernel's answer is checked before any of it is used to touch memory: entry counts are
 * powers of two in range, every field offset is aligned and inside its region, the sizes are
 * plausible, and after mapping, the ring's own {@code ring_entries}/{@code ring_mask} agree with the
 * parameters. A failed check is a {@link RingException} (EINVAL), never a wild access.
 */
final class RingMapping implements AutoCloseable {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    /** The kernel refuses larger rings; a size beyond this means a corrupt answer. */
    private static final long MAX_RING_BYTES = 64L << 20;
    private static final int MAX_ENTRIES = 32768;

    private final Syscalls sys;
    private final int fd;
    private final int setupFlags;
    private final int features;
    private final int sqEntries;
    private final int cqEntries;
    private final Arena mappings;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqes;
    private final long sqHeadOff;
    private final long sqTailOff;
    private final long sqFlagsOff;
    private final long sqDroppedOff;
    private final long cqHeadOff;
    private final long cqTailOff;
    private final long cqOverflowOff;
    private final long cqesOff;
    private boolean closed;

    private RingMapping(Syscalls sys, int fd, MemorySegment params, Arena mappings, MemorySegment sqRing,
                        MemorySegment cqRing, MemorySegment sqes) {
        this.sys = sys;
        this.fd = fd;
        this.setupFlags = IoUringParams.u32(params, IoUringParams.FLAGS);
        this.features = IoUringParams.u32(params, IoUringParams.FEATURES);
        this.sqEntries = IoUringParams.u32(params, IoUringParams.SQ_ENTRIES);
        this.cqEntries = IoUringParams.u32(params, IoUringParams.CQ_ENTRIES);
        this.mappings = mappings;
        this.sqRing = sqRing;
        this.cqRing = cqRing;
        this.sqes = sqes;
        this.sqHeadOff = sqOff(params, IoUringParams.SQO_HEAD);
        this.sqTailOff = sqOff(params, IoUringParams.SQO_TAIL);
        this.sqFlagsOff = sqOff(params, IoUringParams.SQO_FLAGS);
        this.sqDroppedOff = sqOff(params, IoUringParams.SQO_DROPPED);
        this.cqHeadOff = cqOff(params, IoUringParams.CQO_HEAD);
        this.cqTailOff = cqOff(params, IoUringParams.CQO_TAIL);
        this.cqOverflowOff = cqOff(params, IoUringParams.CQO_OVERFLOW);
        this.cqesOff = cqOff(params, IoUringParams.CQO_CQES);
    }

    private static long sqOff(MemorySegment params, long field) {
        return Integer.toUnsignedLong(IoUringParams.u32(params, IoUringParams.SQ_OFF + field));
    }

    private static long cqOff(MemorySegment params, long field) {
        return Integer.toUnsignedLong(IoUringParams.u32(params, IoUringParams.CQ_OFF + field));
    }

    /**
     * io_uring_setup with exactly {@code setup}'s flags, then the mappings.
     *
     * @throws RingException naming the errno of the failed step (ENOSYS, EPERM, EINVAL, ENOMEM, ...)
     */
    static RingMapping setUp(Syscalls sys, RingSetup setup) throws RingException {
        return setUp(sys, setup, true);
    }

    /**
     * As {@link #setUp(Syscalls, RingSetup)}; {@code singleMmapIfOffered = false} maps the two rings
     * apart even when the kernel offers IORING_FEAT_SINGLE_MMAP (kernels before 5.4 need that; the
     * kernel accepts both ways, so tests can run the older path here).
     */
    static RingMapping setUp(Syscalls sys, RingSetup setup, boolean singleMmapIfOffered) throws RingException {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment params = scratch.allocate(IoUringParams.SIZE, 8);
            IoUringParams.putU32(params, IoUringParams.FLAGS, setup.flags());
            IoUringParams.putU32(params, IoUringParams.CQ_ENTRIES, setup.cqEntries());
            IoUringParams.putU32(params, IoUringParams.SQ_THREAD_IDLE, setup.sqThreadIdleMillis());
            IoUringParams.putU32(params, IoUringParams.SQ_THREAD_CPU, setup.sqThreadCpu());
            int fd = sys.ioUringSetup(setup.entries(), params);
            if (fd < 0) {
                throw new RingException("io_uring_setup(" + setup.entries() + ", " + Sqe.setupFlagNames(setup.flags()) + ")", fd);
            }
            try {
                return map(sys, fd, params, singleMmapIfOffered);
            } catch (RingException | RuntimeException e) {
                sys.close(fd);
                throw e;
            }
        }
    }

    private static RingMapping map(Syscalls sys, int fd, MemorySegment params, boolean singleMmapIfOffered)
            throws RingException {
        int sqEntries = IoUringParams.u32(params, IoUringParams.SQ_ENTRIES);
        int cqEntries = IoUringParams.u32(params, IoUringParams.CQ_ENTRIES);
        int features = IoUringParams.u32(params, IoUringParams.FEATURES);
        requirePowerOfTwo("sq_entries", sqEntries, MAX_ENTRIES);
        requirePowerOfTwo("cq_entries", cqEntries, 2 * MAX_ENTRIES);

        long sqArrayOff = sqOff(params, IoUringParams.SQO_ARRAY);
        long cqesOff = cqOff(params, IoUringParams.CQO_CQES);
        // The sizes liburing maps (io_uring_queue_mmap): the rings end with the SQ array and the CQEs.
        long sqRingBytes = sqArrayOff + (long) sqEntries * Integer.BYTES;
        long cqRingBytes = cqesOff + (long) cqEntries * Sqe.CQE_SIZE;
        long sqeBytes = (long) sqEntries * Sqe.SIZE;
        if (sqRingBytes > MAX_RING_BYTES || cqRingBytes > MAX_RING_BYTES) {
            throw invalid("ring sizes " + sqRingBytes + "/" + cqRingBytes + " are implausible");
        }
        requireInside("sq array", sqArrayOff, Integer.BYTES, sqRingBytes);
        requireInside("cqes", cqesOff, 8, cqRingBytes);
        for (long field : new long[] {IoUringParams.SQO_HEAD, IoUringParams.SQO_TAIL, IoUringParams.SQO_RING_MASK,
                IoUringParams.SQO_RING_ENTRIES, IoUringParams.SQO_FLAGS, IoUringParams.SQO_DROPPED}) {
            requireInside("sq ring field", sqOff(params, field), Integer.BYTES, sqRingBytes);
        }
        for (long field : new long[] {IoUringParams.CQO_HEAD, IoUringParams.CQO_TAIL, IoUringParams.CQO_RING_MASK,
                IoUringParams.CQO_RING_ENTRIES, IoUringParams.CQO_OVERFLOW}) {
            requireInside("cq ring field", cqOff(params, field), Integer.BYTES, cqRingBytes);
        }

        Arena mappings = Arena.ofShared();
        try {
            MemorySegment sqRing;
            MemorySegment cqRing;
            if ((features & IoUringParams.FEAT_SINGLE_MMAP) != 0 && singleMmapIfOffered) {
                // One mapping holds both rings (5.4+): map the larger size once.
                sqRing = mapRegion(sys, fd, Math.max(sqRingBytes, cqRingBytes), IoUringParams.OFF_SQ_RING, mappings, "rings");
                cqRing = sqRing;
            } else {
                sqRing = mapRegion(sys, fd, sqRingBytes, IoUringParams.OFF_SQ_RING, mappings, "SQ ring");
                cqRing = mapRegion(sys, fd, cqRingBytes, IoUringParams.OFF_CQ_RING, mappings, "CQ ring");
            }
            MemorySegment sqes = mapRegion(sys, fd, sqeBytes, IoUringParams.OFF_SQES, mappings, "SQE array");

            // The ring's own view of its geometry must agree with the parameters.
            agree(sqRing, sqOff(params, IoUringParams.SQO_RING_ENTRIES), sqEntries, "SQ ring_entries");
            agree(sqRing, sqOff(params, IoUringParams.SQO_RING_MASK), sqEntries - 1, "SQ ring_mask");
            agree(cqRing, cqOff(params, IoUringParams.CQO_RING_ENTRIES), cqEntries, "CQ ring_entries");
            agree(cqRing, cqOff(params, IoUringParams.CQO_RING_MASK), cqEntries - 1, "CQ ring_mask");

            // Identity SQ array, written once (as liburing 2.2+ does): slot i always names SQE i.
            // Plain stores: the first release store of the SQ tail publishes them.
            for (int i = 0; i < sqEntries; i++) {
                sqRing.set(ValueLayout.JAVA_INT, sqArrayOff + (long) i * Integer.BYTES, i);
            }
            return new RingMapping(sys, fd, params, mappings, sqRing, cqRing, sqes);
        } catch (RingException | RuntimeException e) {
            mappings.close();
            throw e;
        }
    }

    @SuppressWarnings("restricted") // reinterpret is how memory from mmap becomes a bounded segment
    private static MemorySegment mapRegion(Syscalls sys, int fd, long bytes, long offset, Arena arena, String what)
            throws RingException {
        long address = sys.mmapRing(fd, bytes, offset);
        if (address < 0 && address >= -4095) {
            throw new RingException("mmap of the io_uring " + what + " (" + bytes + " bytes)", (int) address);
        }
        // Exactly the mapped size, so every access is bounds-checked; munmap runs when the arena closes.
        return MemorySegment.ofAddress(address).reinterpret(bytes, arena, s -> sys.munmap(address, bytes));
    }

    private static void agree(MemorySegment ring, long at, int expected, String what) throws RingException {
        int actual = (int) INT.getAcquire(ring, at);
        if (actual != expected) {
            throw invalid(what + " in the mapped ring is " + actual + ", the parameters say " + expected);
        }
    }

    private static void requirePowerOfTwo(String what, int value, int max) throws RingException {
        if (value <= 0 || value > max || Integer.bitCount(value) != 1) {
            throw invalid(what + " = " + value + " is not a power of two in [1, " + max + "]");
        }
    }

    private static void requireInside(String what, long offset, int size, long regionBytes) throws RingException {
        if (offset % size != 0 || offset + size > regionBytes) {
            throw invalid(what + " offset " + offset + " is misaligned or beyond the " + regionBytes + "-byte region");
        }
    }

    private static RingException invalid(String detail) {
        return new RingException("io_uring_setup", 22, "the kernel's answer is unusable: " + detail);
    }

    int fd() {
        return fd;
    }

    /** Whether both rings share one mapping. */
    boolean singleMapping() {
        return sqRing == cqRing;
    }

    int setupFlags() {
        return setupFlags;
    }

    int features() {
        return features;
    }

    int sqEntries() {
        return sqEntries;
    }

    int cqEntries() {
        return cqEntries;
    }

    MemorySegment sqRing() {
        return sqRing;
    }

    MemorySegment cqRing() {
        return cqRing;
    }

    MemorySegment sqes() {
        return sqes;
    }

    long sqHeadOff() {
        return sqHeadOff;
    }

    long sqTailOff() {
        return sqTailOff;
    }

    long sqFlagsOff() {
        return sqFlagsOff;
    }

    long sqDroppedOff() {
        return sqDroppedOff;
    }

    long cqHeadOff() {
        return cqHeadOff;
    }

    long cqTailOff() {
        return cqTailOff;
    }

    long cqOverflowOff() {
        return cqOverflowOff;
    }

    long cqesOffset() {
        return cqesOff;
    }

    /** Unmaps every region (later accesses throw IllegalStateException), then closes the ring fd. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            mappings.close();
        } finally {
            sys.close(fd);
        }
    }
}
