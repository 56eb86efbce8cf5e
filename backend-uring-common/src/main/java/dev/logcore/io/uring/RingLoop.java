package dev.logcore.io.uring;

import dev.logcore.io.DiskIoException;
import dev.logcore.io.Errno;
import dev.logcore.io.OpKind;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The ring thread: the only thread that touches the {@link KernelRing} (but for {@code wake()}).
 * Each turn it writes SQEs for whatever is ready (internal SQEs, cancellations, resubmissions, then
 * the queue, as far as the SQ, the in-flight table and the CQ allow), hands them to the kernel and
 * waits for completions in one {@code submitAndReap}, then dispatches every completion it got.
 *
 * <p>It sleeps in the kernel only when it has nothing to submit, after announcing it
 * ({@link #sleeping}); a producer that sees the announcement writes the eventfd whose read the ring
 * keeps armed. Under load nobody sleeps and nobody writes the eventfd.
 */
final class RingLoop implements Runnable {
    private static final long INTERNAL = 1L << 63;
    private static final long UD_WAKE = INTERNAL | 1;
    private static final long UD_CANCEL = INTERNAL | 2;
    private static final long UD_TIMEOUT = INTERNAL | 3;
    /** CQEs kept free for internal operations (wake-up read, cancels, the close timeout). */
    private static final int CQ_RESERVE = 8;
    private static final int FILL = 0;
    private static final int SQ_FULL = 1;
    private static final int AT_CAPACITY = 2;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SLEEPING;

    static {
        try {
            SLEEPING = MethodHandles.lookup().findVarHandle(RingLoop.class, "sleeping", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final RingEngine engine;
    private final KernelRing.Factory factory;
    private final Thread thread;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    @SuppressWarnings("unused")
    private volatile int sleeping;
    private volatile boolean exited;
    private volatile RingReport report;

    // ---- ring thread state ----
    private KernelRing kernel;
    private RingInfo info;
    private MemorySegment sqes;
    private MemorySegment cqes;
    private Scratch scratch;
    private MemorySegment wakeBuf;
    private MemorySegment timespec;
    /** SQEs written in the batch being built. */
    private int n;
    private RingOp<?>[] slots;
    private int[] gens;
    private int[] freeSlots;
    private int freeTop;
    private int inKernel;
    private int cqBudget;
    private final ArrayDeque<RingOp<?>> local = new ArrayDeque<>();
    private final int submitBatch;
    private boolean wakeArmed;
    private boolean wakeCancelIssued;
    private long lastEnters;
    private int userSqes;
    private volatile long waitCalls;
    /** SQEs written per opcode, and with the fixed-file and link flags (diagnostics and tests). */
    private final long[] sqeCounts = new long[256];
    private long fixedFileSqes;
    private long linkedSqes;
    private boolean moreCqes;
    private boolean closing;
    private long deadline;
    private boolean timeoutArmed;
    private boolean timedOut;
    private boolean leaked;
    private volatile boolean buffersRegistered;
    private int[] fileSlotFree;
    private int fileSlotTop;
    private BitSet ops;

    // opcode choices, from the probe minus uring.disableOps
    boolean hasRead;
    boolean hasWrite;
    boolean hasReadFixed;
    boolean hasWriteFixed;
    boolean hasOpenat;
    boolean hasClose;
    boolean hasStatx;
    boolean hasFallocate;
    boolean hasFtruncate;
    boolean hasFilesUpdate;

    RingLoop(RingEngine engine, KernelRing.Factory factory, String name) {
        this.engine = engine;
        this.factory = factory;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
        this.submitBatch = engine.settings.submitBatch();
    }

    /** Starts the thread and waits until the ring is set up (or failed to be). */
    void start() throws DiskIoException {
        thread.start();
        try {
            ready.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof DiskIoException d) {
                throw d;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new DiskIoException(OpKind.OPEN, null, Errno.EIO, "ring setup failed: " + c, c);
        } catch (TimeoutException e) {
            throw new DiskIoException(OpKind.OPEN, null, Errno.ETIMEDOUT, "ring setup did not finish within 60 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DiskIoException(OpKind.OPEN, null, Errno.EINTR, "interrupted while the ring was set up");
        }
    }

    @Override
    public void run() {
        try {
            setUp();
        } catch (Throwable t) {
            exited = true;
            terminated.countDown();
            ready.completeExceptionally(t);
            return;
        }
        ready.complete(null);
        try {
            loop();
        } catch (Throwable t) {
            RingEngine.LOG.log(Level.ERROR, thread.getName() + ": the ring thread failed; failing what it held", t);
            crashed(t);
        } finally {
            tearDown();
            terminated.countDown();
        }
    }

    // ------------------------------------------------------------------ setup

    private void setUp() throws DiskIoException {
        UringSettings s = engine.settings;
        RingException last = null;
        for (RingSetup setup : s.setupsToTry()) {
            try {
                kernel = factory.open(setup);
                break;
            } catch (RingException e) {
                last = e;
                if (e.errno() != Errno.EINVAL.number()) {
                    break;
                }
            }
        }
        if (kernel == null) {
            Errno errno = last == null ? Errno.EIO : last.errnoName();
            throw new DiskIoException(OpKind.OPEN, null, errno, "io_uring setup failed: " + (last == null ? "?" : last.getMessage()), last);
        }
        try {
            info = kernel.info();
            if (info.supportedOps() == null) {
                throw new DiskIoException(OpKind.OPEN, null, Errno.ENOSYS,
                        "this kernel has no IORING_REGISTER_PROBE (Linux 5.6 or later is needed)");
            }
            ops = info.supportedOps();
            ops.andNot(s.disabledOps());
            for (int needed : new int[] {Sqe.OP_READV, Sqe.OP_WRITEV, Sqe.OP_FSYNC, Sqe.OP_ASYNC_CANCEL, Sqe.OP_TIMEOUT}) {
                if (!info.supports(needed)) {
                    throw new DiskIoException(OpKind.OPEN, null, Errno.ENOSYS, "the kernel lacks IORING_OP_" + Sqe.opName(needed));
                }
            }
            hasRead = ops.get(Sqe.OP_READ);
            hasWrite = ops.get(Sqe.OP_WRITE);
            hasOpenat = ops.get(Sqe.OP_OPENAT);
            hasClose = ops.get(Sqe.OP_CLOSE);
            hasStatx = ops.get(Sqe.OP_STATX);
            hasFallocate = ops.get(Sqe.OP_FALLOCATE);
            hasFtruncate = ops.get(Sqe.OP_FTRUNCATE);
            hasFilesUpdate = ops.get(Sqe.OP_FILES_UPDATE);
            sqes = kernel.sqes();
            cqes = kernel.cqes();
            scratch = new Scratch();
            wakeBuf = scratch.take(8);
            timespec = scratch.take(Sqe.TIMESPEC_SIZE);
            int nslots = Math.max(2, info.cqEntries() - Math.min(CQ_RESERVE, info.cqEntries() / 2));
            slots = new RingOp<?>[nslots];
            gens = new int[nslots];
            freeSlots = new int[nslots];
            for (int i = 0; i < nslots; i++) {
                freeSlots[i] = nslots - 1 - i;
            }
            freeTop = nslots;
            cqBudget = nslots;
            String bufNote = "off";
            if (engine.pool != null) {
                try {
                    kernel.registerBuffers(engine.pool.regions());
                    hasReadFixed = ops.get(Sqe.OP_READ_FIXED);
                    hasWriteFixed = ops.get(Sqe.OP_WRITE_FIXED);
                    buffersRegistered = true;
                    bufNote = (engine.pool.byteSize() >> 20) + " MiB";
                } catch (RingException e) {
                    bufNote = "failed: " + e.getMessage();
                    RingEngine.LOG.log(Level.WARNING, thread.getName() + ": registering the buffer pool failed, plain buffers are used: "
                            + e.getMessage());
                }
            }
            String fileNote = "off";
            if (s.registeredFiles() > 0 && hasFilesUpdate) {
                try {
                    kernel.registerFiles(s.registeredFiles());
                    fileSlotFree = new int[s.registeredFiles()];
                    for (int i = 0; i < fileSlotFree.length; i++) {
                        fileSlotFree[i] = fileSlotFree.length - 1 - i;
                    }
                    fileSlotTop = fileSlotFree.length;
                    fileNote = s.registeredFiles() + " slots";
                } catch (RingException e) {
                    fileNote = "failed: " + e.getMessage();
                    RingEngine.LOG.log(Level.WARNING, thread.getName() + ": registering the file table failed, plain fds are used: "
                            + e.getMessage());
                }
            } else if (s.registeredFiles() > 0) {
                fileNote = "off: no IORING_OP_FILES_UPDATE";
            }
            BitSet fallbacks = new BitSet();
            for (int op : new int[] {Sqe.OP_READ, Sqe.OP_WRITE, Sqe.OP_OPENAT, Sqe.OP_CLOSE, Sqe.OP_STATX, Sqe.OP_FALLOCATE, Sqe.OP_FTRUNCATE}) {
                if (!ops.get(op)) {
                    fallbacks.set(op);
                }
            }
            report = new RingReport(info.sqEntries(), info.cqEntries(), info.setupFlags(), info.features(), ops,
                    fallbacks, bufNote, fileNote, s.iopoll() ? "asked, turned off: " + UringProbe.iopollNote() : "off");
        } catch (DiskIoException | RuntimeException | Error e) {
            kernel.close();
            if (scratch != null) {
                scratch.close();
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------ the loop

    private void loop() {
        while (true) {
            if (!closing && engine.isClosed()) {
                startClosing();
            }
            if (closing && closeFinished()) {
                return;
            }
            // At most submitBatch SQEs per enter: the rest of what is ready goes in the next enter
            // at once (fill() then says SQ_FULL, and that enter does not wait).
            int space = Math.min(kernel.sqSpace(), submitBatch);
            n = 0;
            if (!wakeArmed && !wakeCancelIssued && n < space) {
                armWake();
            }
            processCancels(space);
            if (closing) {
                closeCancels(space);
            }
            int fill = fill(space);
            int wait;
            if (moreCqes || fill == SQ_FULL) {
                wait = 0;
            } else if (fill == AT_CAPACITY) {
                wait = n > 0 ? 0 : 1;
            } else if (!local.isEmpty()) {
                wait = 0;
            } else {
                // Announce the sleep, then look again (Dekker with wakeIfSleeping): a producer either
                // made its operation visible before this look, or it sees the announcement and wakes
                // us. A push caught half done counts as not visible: its producer wakes us when it has
                // linked it, so the ring thread never spins on a producer that was preempted there.
                SLEEPING.setVolatile(this, 1);
                if (engine.queue.hasVisible() || !engine.cancels.isEmpty() || engine.isClosed() != closing
                        || (closing && closeFinished())) {
                    SLEEPING.setVolatile(this, 0);
                    wait = 0;
                } else {
                    wait = 1;
                }
            }
            int got = kernel.submitAndReap(n, wait);
            SLEEPING.setVolatile(this, 0);
            countEnters();
            if (got < 0) {
                throw new IllegalStateException("io_uring_enter failed: " + Errno.nameOf(got) + "; the ring is unusable");
            }
            for (int i = 0; i < got; i++) {
                dispatch(Sqe.cqeUserData(cqes, i), Sqe.cqeRes(cqes, i));
            }
            moreCqes = got == info.cqeCapacity();
        }
    }

    /**
     * Stats: every enter is a system call; one that handed operations to the kernel carries them
     * (the mean batch), one that only waited (the ring thread idle, or woken by the eventfd) carries
     * none. Pure waits are also kept apart in {@link #waitCalls()}.
     */
    private void countEnters() {
        long e = kernel.enterCalls();
        if (e != lastEnters) {
            long waits = e - lastEnters;
            if (userSqes > 0) {
                engine.stats.systemCall(userSqes);
                userSqes = 0;
                waits--;
            }
            for (long i = 0; i < waits; i++) {
                engine.stats.systemCall(0);
            }
            waitCalls += waits;
            lastEnters = e;
        }
    }

    long sqeCount(int opcode) {
        return sqeCounts[opcode & 0xFF];
    }

    long fixedFileSqes() {
        return fixedFileSqes;
    }

    long linkedSqes() {
        return linkedSqes;
    }

    /** Enters that submitted no operation (pure waits, wake-up re-arms). */
    long waitCalls() {
        return waitCalls;
    }

    /** Writes SQEs for resubmissions and queued operations; says why it stopped. */
    private int fill(int space) {
        while (n < space) {
            RingOp<?> op = local.pollFirst();
            if (op == null) {
                op = engine.queue.poll();
                if (op == null) {
                    return FILL;
                }
                if (!op.takeForRing()) {
                    continue; // cancelled while queued: its canceller ended it
                }
            }
            if (closing) {
                failForClose(op);
                continue;
            }
            if (op.blocking()) {
                op.freeScratch(scratch);
                engine.runFallback(op);
                continue;
            }
            int need = op.sqesNeeded();
            if (n + need > space) {
                local.addFirst(op);
                return SQ_FULL;
            }
            if (freeTop == 0 || cqBudget < need) {
                local.addFirst(op);
                return AT_CAPACITY;
            }
            int s = freeSlots[--freeTop];
            slots[s] = op;
            op.slot = s;
            inKernel++;
            int before = n;
            try {
                op.prepare(this);
            } catch (RuntimeException e) {
                // Forget the SQEs it wrote: the next operation overwrites them.
                cqBudget += op.cqesPending;
                userSqes -= n - before;
                n = before;
                op.cqesPending = 0;
                op.fail(Errno.EINVAL, "preparing the operation failed: " + e);
            }
            if (n == before) {
                releaseSlot(op);
                endHere(op);
            }
        }
        return n >= space ? SQ_FULL : FILL;
    }

    /**
     * Writes one SQE of {@code op}'s current step into the batch. {@code part} tells its completions
     * apart (0: the main SQE, 1: a linked sync, ...).
     */
    void put(RingOp<?> op, int part, int opcode, int flags, int fd, long off, long addr, int len, int opFlags, int bufIndex) {
        long ud = ((long) (gens[op.slot] & 0x7FFF_FFFF) << 32) | ((long) op.slot << 2) | part;
        Sqe.write(sqes, kernel.sqeOffset(n), opcode, flags, fd, off, addr, len, opFlags, ud, bufIndex);
        n++;
        userSqes++;
        sqeCounts[opcode & 0xFF]++;
        if ((flags & Sqe.IOSQE_FIXED_FILE) != 0) {
            fixedFileSqes++;
        }
        if ((flags & Sqe.IOSQE_IO_LINK) != 0) {
            linkedSqes++;
        }
        op.cqesPending++;
        cqBudget--;
    }

    private void putInternal(int opcode, int fd, long off, long addr, int len, int opFlags, long ud) {
        Sqe.write(sqes, kernel.sqeOffset(n), opcode, 0, fd, off, addr, len, opFlags, ud, 0);
        n++;
    }

    /** The user_data an operation's current step carries for {@code part}. */
    long userData(RingOp<?> op, int part) {
        return ((long) (gens[op.slot] & 0x7FFF_FFFF) << 32) | ((long) op.slot << 2) | part;
    }

    private void dispatch(long ud, int res) {
        if (ud < 0) {
            internal(ud, res);
            return;
        }
        int s = (int) ((ud >>> 2) & 0x3FFF_FFFF);
        int part = (int) (ud & 3);
        int gen = (int) (ud >>> 32);
        RingOp<?> op = s < slots.length ? slots[s] : null;
        if (op == null || (gens[s] & 0x7FFF_FFFF) != gen) {
            RingEngine.LOG.log(Level.WARNING, thread.getName() + ": a completion for no operation (user_data " + Long.toHexString(ud) + ")");
            return;
        }
        cqBudget++;
        op.cqesPending--;
        int r;
        try {
            r = op.complete(this, part, res);
        } catch (RuntimeException e) {
            op.error = new DiskIoException(op.kind, op.path(), Errno.EIO, "completion handling failed: " + e, e);
            r = op.cqesPending > 0 ? RingOp.MORE : RingOp.END;
        }
        if (r == RingOp.MORE) {
            return;
        }
        releaseSlot(op);
        if (r == RingOp.AGAIN) {
            if (closing) {
                failForClose(op);
            } else {
                local.addLast(op);
            }
        } else {
            endHere(op);
        }
    }

    private void releaseSlot(RingOp<?> op) {
        int s = op.slot;
        slots[s] = null;
        gens[s]++;
        freeSlots[freeTop++] = s;
        op.slot = -1;
        op.cancelIssued = false;
        inKernel--;
    }

    private void endHere(RingOp<?> op) {
        op.freeScratch(scratch);
        engine.end(op);
    }

    private void internal(long ud, int res) {
        if (ud == UD_WAKE) {
            wakeArmed = false;
            if (res < 0 && res != -Errno.ECANCELED.number() && !closing) {
                RingEngine.LOG.log(Level.WARNING, thread.getName() + ": the wake-up read failed: " + Errno.nameOf(res));
            }
        } else if (ud == UD_TIMEOUT) {
            timeoutArmed = false;
            if (res == -Errno.ETIME.number()) {
                timedOut = true;
            }
        }
        // UD_CANCEL: the target's own completion says what happened.
    }

    private void armWake() {
        putInternal(Sqe.OP_READ, kernel.wakeFd(), 0, wakeBuf.address(), 8, 0, UD_WAKE);
        wakeArmed = true;
    }

    // ------------------------------------------------------------------ cancellation

    private void processCancels(int space) {
        RingOp<?> op;
        while (n < space && (op = engine.cancels.poll()) != null) {
            if (op.isFinished() || op.bytes > 0 || op.cancelIssued) {
                continue;
            }
            if (op.slot >= 0) {
                putInternal(Sqe.OP_ASYNC_CANCEL, -1, 0, userData(op, 0), 0, 0, UD_CANCEL);
                op.cancelIssued = true;
            } else if (local.remove(op)) {
                op.cancelled = true;
                endHere(op);
            }
            // otherwise it runs on the fallback thread, or ended: nothing to cancel
        }
    }

    // ------------------------------------------------------------------ closing

    private void startClosing() {
        closing = true;
        deadline = System.nanoTime() + engine.settings.closeTimeout().toNanos();
        RingOp<?> op;
        while ((op = local.pollFirst()) != null) {
            failForClose(op);
        }
    }

    /** Cancels what is in the kernel, the wake-up read, and arms the timeout that bounds the wait. */
    private void closeCancels(int space) {
        for (int s = 0; s < slots.length && n < space; s++) {
            RingOp<?> op = slots[s];
            if (op != null && !op.cancelIssued) {
                putInternal(Sqe.OP_ASYNC_CANCEL, -1, 0, userData(op, 0), 0, 0, UD_CANCEL);
                op.cancelIssued = true;
            }
        }
        // The wake-up read stays armed while operations are out (one ending on the fallback thread
        // wakes us through it); it is cancelled last.
        if (wakeArmed && !wakeCancelIssued && n < space && inKernel == 0 && engine.admitted() == 0) {
            putInternal(Sqe.OP_ASYNC_CANCEL, -1, 0, UD_WAKE, 0, 0, UD_CANCEL);
            wakeCancelIssued = true;
        }
        if (!timeoutArmed && !timedOut && n < space) {
            long left = Math.max(1, deadline - System.nanoTime());
            timespec.set(LONG, 0, left / 1_000_000_000L);
            timespec.set(LONG, 8, left % 1_000_000_000L);
            putInternal(Sqe.OP_TIMEOUT, -1, 0, timespec.address(), 1, 0, UD_TIMEOUT);
            timeoutArmed = true;
        }
    }

    private boolean closeFinished() {
        if (inKernel == 0 && !wakeArmed && engine.admitted() == 0 && engine.queue.isEmpty()) {
            return true;
        }
        if (timedOut || System.nanoTime() - deadline >= 0) {
            for (int s = 0; s < slots.length; s++) {
                RingOp<?> op = slots[s];
                if (op != null) {
                    leaked = true;
                    engine.abandon(op);
                }
            }
            if (wakeArmed) {
                leaked = true;
            }
            if (engine.admitted() > 0) {
                RingEngine.LOG.log(Level.WARNING, thread.getName() + ": " + engine.admitted()
                        + " operations were still running when the close timeout passed");
            }
            return true;
        }
        return false;
    }

    private void failForClose(RingOp<?> op) {
        op.fail(Errno.ECANCELED, op.bytes > 0 ? "the engine closed before the operation finished"
                : "the engine closed before the operation started");
        endHere(op);
    }

    /** The loop threw: fail every operation it held; the ring is not freed (its state is unknown). */
    private void crashed(Throwable t) {
        leaked = true;
        engine.close();
        for (int s = 0; slots != null && s < slots.length; s++) {
            if (slots[s] != null) {
                engine.abandon(slots[s]);
            }
        }
        RingOp<?> op;
        while ((op = local.pollFirst()) != null) {
            op.fail(Errno.EIO, "the ring thread failed: " + t);
            engine.end(op);
        }
        while ((op = engine.queue.poll()) != null) {
            if (op.takeForRing()) {
                op.fail(Errno.EIO, "the ring thread failed: " + t);
                engine.end(op);
            }
        }
    }

    private void tearDown() {
        exited = true; // from now on fallback steps fail rather than queue a next step
        // Operations that slipped into the queue during the last turn.
        RingOp<?> op;
        while ((op = engine.queue.poll()) != null) {
            if (op.takeForRing()) {
                failForClose(op);
            }
        }
        engine.shutdownFallbacks();
        for (RingFile f : engine.files()) {
            f.closeAtEngineClose(kernel);
        }
        if (leaked) {
            RingEngine.LOG.log(Level.WARNING, thread.getName() + ": the kernel still holds operations; the ring and"
                    + " their memory are left allocated rather than freed under it");
            return;
        }
        kernel.close();
        scratch.close();
        if (engine.pool != null) {
            engine.pool.engineDone();
        }
    }

    // ------------------------------------------------------------------ for the engine and the ops

    /**
     * Called by a producer after its push (or cancel request) is complete. The fence orders the
     * push's last store (the release store that links the node) before the read of
     * {@link #sleeping}: the store-load order the sleep protocol in {@link #loop()} depends on.
     */
    void wakeIfSleeping() {
        if (Thread.currentThread() == thread) {
            return; // the ring thread looks at the queue again before it sleeps
        }
        VarHandle.fullFence();
        if ((int) SLEEPING.getVolatile(this) == 1 && SLEEPING.compareAndSet(this, 1, 0)) {
            kernel.wake();
        }
    }

    void wakeAlways() {
        KernelRing k = kernel;
        if (k != null && !exited && Thread.currentThread() != thread) {
            k.wake();
        }
    }

    boolean isRingThread() {
        return Thread.currentThread() == thread;
    }

    boolean hasExited() {
        return exited;
    }

    boolean awaitTermination(long timeout, TimeUnit unit) {
        try {
            return terminated.await(timeout, unit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean buffersRegistered() {
        return buffersRegistered;
    }

    KernelRing kernel() {
        return kernel;
    }

    Scratch scratch() {
        return scratch;
    }

    RingReport report() {
        return report;
    }

    /** The registered buffer index for {@code [address, address+length)}, or -1. */
    int bufferIndex(Object tag, long address, long length) {
        if (!buffersRegistered || tag != engine.pool) {
            return -1;
        }
        return engine.pool.indexOf(address, length);
    }

    /** Takes a free fixed-file slot, or -1. */
    int takeFileSlot() {
        return fileSlotTop == 0 ? -1 : fileSlotFree[--fileSlotTop];
    }

    void giveFileSlot(int slot) {
        fileSlotFree[fileSlotTop++] = slot;
    }

    boolean filesRegistered() {
        return fileSlotFree != null;
    }
}
