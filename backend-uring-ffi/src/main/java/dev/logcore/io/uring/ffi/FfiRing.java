package dev.logcore.io.uring.ffi;

import dev.logcore.io.uring.KernelRing;
import dev.logcore.io.uring.RingException;
import dev.logcore.io.uring.RingInfo;
import dev.logcore.io.uring.RingSetup;
import dev.logcore.io.uring.Sqe;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.BitSet;

/**
 * The shared ring engine's {@link KernelRing}, reached without liburing and without C of our own:
 * the ring's regions are mapped once by {@link RingMapping}, the engine writes SQEs straight into
 * the mapped SQE array, completions are read straight out of the mapped CQ ring, and the only
 * crossing into native code per batch is one {@code io_uring_enter} through jnr-ffi/jffi.
 *
 * <h2>Memory ordering (why this is correct)</h2>
 *
 * The rings are single-producer/single-consumer queues shared with the kernel; the rules are those
 * of liburing's {@code barrier.h} and {@code io_uring(7)}, expressed with {@link VarHandle} access
 * modes on the mapped memory. A Java acquire load and release store are the C11
 * {@code memory_order_acquire}/{@code memory_order_release} operations: plain {@code mov}s with a
 * compiler barrier on x86-64 (TSO already orders load-load, load-store and store-store), {@code
 * ldar}/{@code stlr} on AArch64; they pair with the kernel's {@code smp_load_acquire} and
 * {@code smp_store_release} on the same words.
 *
 * <ul>
 *   <li><b>SQ tail (we write).</b> The engine writes the SQE bytes with plain stores, then
 *       {@link #submitAndReap} publishes the new tail with a <em>release</em> store. The kernel
 *       reads the tail with {@code smp_load_acquire}, so it sees every SQE byte written before the
 *       tail (and the identity SQ array, written once before the first tail store).
 *   <li><b>SQ head (we read).</b> Read with an <em>acquire</em> load ({@link #sqSpace}) before slots
 *       are handed out again: the kernel advances the head with {@code smp_store_release} after it
 *       has copied the SQEs, so once we see the new head the kernel reads the old slots no more and
 *       the engine may overwrite them.
 *   <li><b>CQ tail (we read).</b> Read with an <em>acquire</em> load; the kernel fills a CQE and then
 *       publishes the tail with {@code smp_store_release}, so every CQE below the tail we saw is
 *       complete when we copy it with plain loads.
 *   <li><b>CQ head (we write).</b> After copying the CQEs we publish the new head with a
 *       <em>release</em> store: the copy's loads are ordered before it, so the kernel (which reads
 *       the head with acquire before reusing a slot) cannot overwrite a CQE we are still reading.
 *   <li><b>SQ flags with SQPOLL.</b> After publishing the tail we must know whether the poll thread
 *       went to sleep (IORING_SQ_NEED_WAKEUP). That is a store (tail) followed by a load (flags) of
 *       another word, which acquire/release does not order, so a <em>full fence</em>
 *       ({@link VarHandle#fullFence()}, liburing's {@code io_uring_smp_mb()}) separates them. The
 *       poll thread does the mirror image (set the flag, full barrier, re-check the tail), so at
 *       least one side sees the other and no submission is stranded.
 * </ul>
 *
 * <h2>Bounds</h2>
 *
 * Nothing here computes a raw address. The kernel's offsets are checked against the mapped sizes at
 * setup, each region is a segment of exactly the mapped length, so any wrong index throws
 * {@link IndexOutOfBoundsException} instead of touching memory, and the regions belong to a shared
 * {@link Arena}: after {@link #close()} every access throws {@link IllegalStateException} instead of
 * reading unmapped memory.
 *
 * <p>Threads follow {@link KernelRing}: the ring thread for the batch, registration and close; any
 * thread for {@link #wake()} and the blocking calls.
 */
public final class FfiRing implements KernelRing {
    /** Aligned int access to the shared ring words: coordinates (segment, byte offset). */
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final long SQE_SIZE = Sqe.SIZE;
    private static final long CQE_SIZE = Sqe.CQE_SIZE;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int EBUSY = 16;
    private static final int EINVAL = 22;
    private static final int ETIME = 62;
    private static final int EIO = 5;

    private final Syscalls sys;
    private final RingMapping ring;
    private final RingInfo info;
    private final int fd;
    private final int eventFd;
    private final boolean sqpoll;
    private final int sqEntries;
    private final int sqMask;
    private final int cqEntries;
    private final int cqMask;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqes;
    private final MemorySegment cqRingCqes;
    private final long sqHeadOff;
    private final long sqTailOff;
    private final long sqFlagsOff;
    private final long cqHeadOff;
    private final long cqTailOff;
    /** Where submitAndReap copies completions for the engine: cqEntries CQEs. */
    private final MemorySegment cqeCopy;
    private final Arena own;
    private final boolean deferTaskrun;

    /** The tail of SQEs handed to the kernel so far (our copy of what we stored in the SQ tail). */
    private int sqTail;
    /** The CQ head as consumed so far (our copy of what we stored in the CQ head). */
    private int cqHead;
    private long enterCalls;
    private boolean buffersRegistered;
    private boolean filesRegistered;
    private volatile boolean closed;
    /** Orders wake() against close(): a wake never writes to an eventfd number closed (and maybe reused). */
    private final Object wakeLock = new Object();

    private FfiRing(Syscalls sys, RingMapping ring, int eventFd, BitSet supportedOps) {
        this.sys = sys;
        this.ring = ring;
        this.fd = ring.fd();
        this.eventFd = eventFd;
        this.sqpoll = (ring.setupFlags() & Sqe.SETUP_SQPOLL) != 0;
        this.sqEntries = ring.sqEntries();
        this.sqMask = sqEntries - 1;
        this.cqEntries = ring.cqEntries();
        this.cqMask = cqEntries - 1;
        this.sqRing = ring.sqRing();
        this.cqRing = ring.cqRing();
        this.sqes = ring.sqes();
        this.cqRingCqes = ring.cqRing().asSlice(ring.cqesOffset(), CQE_SIZE * cqEntries);
        this.sqHeadOff = ring.sqHeadOff();
        this.sqTailOff = ring.sqTailOff();
        this.sqFlagsOff = ring.sqFlagsOff();
        this.cqHeadOff = ring.cqHeadOff();
        this.cqTailOff = ring.cqTailOff();
        this.own = Arena.ofShared();
        this.cqeCopy = own.allocate(CQE_SIZE * cqEntries, 64);
        this.deferTaskrun = (ring.setupFlags() & Sqe.SETUP_DEFER_TASKRUN) != 0;
        this.info = new RingInfo(sqEntries, cqEntries, cqEntries, ring.setupFlags(), ring.features(), supportedOps);
        // The kernel starts both rings empty; start from what it says rather than assume zero.
        this.sqTail = (int) INT.getAcquire(sqRing, sqTailOff);
        this.cqHead = (int) INT.getAcquire(cqRing, cqHeadOff);
    }

    /**
     * {@link KernelRing.Factory} of this provider: io_uring_setup with exactly the asked flags, the
     * mappings, an eventfd and the opcode probe. Everything made is freed again if a step fails.
     *
     * @throws RingException with the errno of the failed call
     * @throws IllegalStateException if jnr-ffi or libc cannot be loaded (the provider's probe says so first)
     */
    public static FfiRing open(RingSetup setup) throws RingException {
        return open(setup, true);
    }

    /** As {@link #open(RingSetup)}; {@code false} maps the rings apart (the pre-5.4 way), for tests. */
    static FfiRing open(RingSetup setup, boolean singleMmapIfOffered) throws RingException {
        Syscalls sys = Syscalls.get();
        RingMapping mapping = RingMapping.setUp(sys, setup, singleMmapIfOffered);
        int efd = -1;
        try {
            efd = sys.eventfd();
            if (efd < 0) {
                throw new RingException("eventfd", efd);
            }
            BitSet ops = probe(sys, mapping.fd());
            return new FfiRing(sys, mapping, efd, ops);
        } catch (RingException | RuntimeException e) {
            if (efd >= 0) {
                sys.close(efd);
            }
            mapping.close();
            throw e;
        }
    }

    /** IORING_REGISTER_PROBE: the supported opcodes, or {@code null} when the kernel has no probe. */
    private static BitSet probe(Syscalls sys, int ringFd) throws RingException {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment probe = scratch.allocate(OpcodeProbe.BYTES, 8); // zeroed, as the kernel requires
            int r = sys.ioUringRegister(ringFd, IoUringParams.REGISTER_PROBE, probe, OpcodeProbe.BYTES, OpcodeProbe.MAX_OPS);
            if (r == -EINVAL) {
                return null;
            }
            if (r < 0) {
                throw new RingException("io_uring_register(IORING_REGISTER_PROBE)", r);
            }
            return OpcodeProbe.parse(probe);
        }
    }

    @Override
    public RingInfo info() {
        return info;
    }

    // ---------------------------------------------------------------- the batch (ring thread)

    @Override
    public MemorySegment sqes() {
        return sqes;
    }

    @Override
    public int sqSpace() {
        return sqEntries - (sqTail - (int) INT.getAcquire(sqRing, sqHeadOff));
    }

    @Override
    public long sqeOffset(int i) {
        if (i < 0 || i >= sqEntries) {
            throw new IndexOutOfBoundsException("SQE " + i + " of a batch outside [0, " + sqEntries + ")");
        }
        return SQE_SIZE * ((sqTail + i) & sqMask);
    }

    @Override
    public MemorySegment cqes() {
        return cqeCopy;
    }

    @Override
    public int submitAndReap(int count, int minComplete) {
        if (count < 0 || count > sqSpace() || minComplete < 0) {
            throw new IllegalArgumentException("submitAndReap(" + count + ", " + minComplete + ") with "
                    + sqSpace() + " SQ slots free");
        }
        if (count > 0) {
            sqTail += count;
            INT.setRelease(sqRing, sqTailOff, sqTail); // publishes the SQE bytes (see class doc)
        }
        int pending = sqTail - (int) INT.getAcquire(sqRing, sqHeadOff);
        int flags = IoUringParams.ENTER_GETEVENTS;
        boolean enter;
        if (sqpoll) {
            VarHandle.fullFence(); // tail store before flags load (see class doc)
            int sqFlags = (int) INT.getVolatile(sqRing, sqFlagsOff);
            if ((sqFlags & IoUringParams.SQ_NEED_WAKEUP) != 0) {
                flags |= IoUringParams.ENTER_SQ_WAKEUP;
            }
            // The poll thread takes the SQEs: enter only to wake it, to wait, or to flush the CQ.
            enter = (sqFlags & (IoUringParams.SQ_NEED_WAKEUP | IoUringParams.SQ_CQ_OVERFLOW | IoUringParams.SQ_TASKRUN)) != 0
                    || minComplete > 0;
        } else {
            // Something to submit or wait for, completion work only an enter runs (DEFER_TASKRUN),
            // or an overflowed CQ to flush; otherwise what is ready is already in the CQ ring.
            enter = pending > 0 || minComplete > 0 || deferTaskrun
                    || ((int) INT.getOpaque(sqRing, sqFlagsOff)
                            & (IoUringParams.SQ_CQ_OVERFLOW | IoUringParams.SQ_TASKRUN)) != 0;
        }
        if (enter) {
            int r = sys.ioUringEnter(fd, pending, minComplete, flags);
            enterCalls++;
            if (r < 0 && r != -EINTR && r != -ETIME && r != -EAGAIN && r != -EBUSY) {
                return r;
            }
        }
        return reap();
    }

    /** Copies the ready CQEs (at most cqEntries) into {@link #cqes()} and gives their slots back. */
    private int reap() {
        int ready = (int) INT.getAcquire(cqRing, cqTailOff) - cqHead;
        if (ready < 0 || ready > cqEntries) {
            return -EIO; // the kernel never does this; a corrupt ring must not be read
        }
        if (ready == 0) {
            return 0;
        }
        int start = cqHead & cqMask;
        int first = Math.min(ready, cqEntries - start);
        MemorySegment.copy(cqRingCqes, CQE_SIZE * start, cqeCopy, 0, CQE_SIZE * first);
        if (ready > first) {
            MemorySegment.copy(cqRingCqes, 0, cqeCopy, CQE_SIZE * first, CQE_SIZE * (ready - first));
        }
        cqHead += ready;
        INT.setRelease(cqRing, cqHeadOff, cqHead); // the copy's loads happen before (see class doc)
        return ready;
    }

    @Override
    public long enterCalls() {
        return enterCalls;
    }

    /** Whether both rings share one mapping (IORING_FEAT_SINGLE_MMAP). */
    boolean singleMapping() {
        return ring.singleMapping();
    }

    /** The SQ ring's flags word (for tests and diagnostics). */
    int sqFlags() {
        return (int) INT.getAcquire(sqRing, sqFlagsOff);
    }

    /** SQEs the kernel dropped as invalid (should stay 0). */
    int sqDropped() {
        return (int) INT.getAcquire(sqRing, ring.sqDroppedOff());
    }

    /** Completions lost to an overflowing CQ ring (stays 0 with IORING_FEAT_NODROP). */
    int cqOverflow() {
        return (int) INT.getAcquire(cqRing, ring.cqOverflowOff());
    }

    // ---------------------------------------------------------------- registration (ring thread)

    @Override
    public void registerBuffers(MemorySegment[] regions) throws RingException {
        if (buffersRegistered) {
            throw new IllegalStateException("buffers are registered already");
        }
        if (regions.length == 0 || regions.length > 16384) {
            throw new IllegalArgumentException("1..16384 buffers can be registered, not " + regions.length);
        }
        try (Arena scratch = Arena.ofConfined()) {
            long bytes = (long) Sqe.IOVEC_SIZE * regions.length;
            MemorySegment iov = scratch.allocate(bytes, 8);
            for (int i = 0; i < regions.length; i++) {
                MemorySegment r = regions[i];
                if (r == null || !r.isNative() || r.byteSize() <= 0 || r.byteSize() > (1L << 30)) {
                    throw new IllegalArgumentException("buffer " + i + " must be native memory of 1 byte .. 1 GiB");
                }
                Sqe.iovec(iov, i, r.address(), r.byteSize());
            }
            int r = sys.ioUringRegister(fd, IoUringParams.REGISTER_BUFFERS, iov, bytes, regions.length);
            if (r < 0) {
                throw new RingException("io_uring_register(IORING_REGISTER_BUFFERS, " + regions.length + ")", r);
            }
            buffersRegistered = true;
        }
    }

    @Override
    public void registerFiles(int slots) throws RingException {
        if (filesRegistered) {
            throw new IllegalStateException("files are registered already");
        }
        if (slots <= 0 || slots > 1 << 20) {
            throw new IllegalArgumentException("1..1048576 file slots, not " + slots);
        }
        try (Arena scratch = Arena.ofConfined()) {
            // struct io_uring_rsrc_register { u32 nr; u32 flags; u64 resv2; u64 data; u64 tags; }
            MemorySegment reg = scratch.allocate(32, 8);
            reg.set(ValueLayout.JAVA_INT, 0, slots);
            reg.set(ValueLayout.JAVA_INT, 4, IoUringParams.RSRC_REGISTER_SPARSE);
            int r = sys.ioUringRegister(fd, IoUringParams.REGISTER_FILES2, reg, 32, 32);
            if (r == -EINVAL) {
                // Before 5.19: a plain table of empty (-1) slots.
                MemorySegment table = scratch.allocate(4L * slots, 4);
                table.fill((byte) 0xFF);
                r = sys.ioUringRegister(fd, IoUringParams.REGISTER_FILES, table, 4L * slots, slots);
            }
            if (r < 0) {
                throw new RingException("io_uring_register(IORING_REGISTER_FILES, " + slots + " sparse slots)", r);
            }
            filesRegistered = true;
        }
    }

    // ---------------------------------------------------------------- waking the ring thread

    @Override
    public int wakeFd() {
        return eventFd;
    }

    @Override
    public void wake() {
        synchronized (wakeLock) {
            if (!closed) {
                sys.eventfdAdd(eventFd);
            }
        }
    }

    // ---------------------------------------------------------------- blocking fallbacks (any thread)

    @Override
    public int openFile(MemorySegment path, int flags, int mode) {
        return sys.open(path, flags | Sqe.O_CLOEXEC, mode);
    }

    @Override
    public int closeFile(int fd) {
        return fd < 0 ? -9 : sys.close(fd);
    }

    @Override
    public int truncate(int fd, long length) {
        return sys.ftruncate(fd, length);
    }

    @Override
    public int fallocate(int fd, int mode, long offset, long length) {
        return sys.fallocate(fd, mode, offset, length);
    }

    @Override
    public long fileSize(int fd) {
        return sys.fileSize(fd);
    }

    // ---------------------------------------------------------------- the end

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Unregisters buffers and files (so their pages are unpinned now, not when the kernel's
     * asynchronous ring teardown gets to it), unmaps the rings, closes the ring fd and the eventfd.
     */
    @Override
    public void close() {
        synchronized (wakeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            if (buffersRegistered) {
                sys.ioUringRegister(fd, IoUringParams.UNREGISTER_BUFFERS, null, 0, 0);
            }
            if (filesRegistered) {
                sys.ioUringRegister(fd, IoUringParams.UNREGISTER_FILES, null, 0, 0);
            }
        } finally {
            try {
                ring.close();
                own.close();
            } finally {
                sys.close(eventFd);
            }
        }
    }

    @Override
    public String toString() {
        return "FfiRing[fd=" + fd + ", sq=" + sqEntries + ", cq=" + cqEntries + ", flags="
                + Sqe.setupFlagNames(ring.setupFlags()) + (closed ? ", closed" : "") + "]";
    }
}
