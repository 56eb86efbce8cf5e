package dev.logcore.io.uring;

import dev.logcore.io.DiskIoException;
import dev.logcore.io.Errno;
import dev.logcore.io.IoFuture;
import dev.logcore.io.OpKind;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * One operation: its future, its queue node and its state machine. The future is the only object
 * an operation allocates on the hot path.
 *
 * <p>Life: created on the caller's thread with its buffers already in flight and its file's gate
 * entered; {@link #QUEUED} in the {@link OpQueue}; taken by the ring thread ({@link #ACTIVE}),
 * which writes its SQEs ({@link #prepare}) and feeds it completions ({@link #complete}) until it
 * says {@link #END}; or run step by step on the fallback thread ({@link #blocking()},
 * {@link #runBlocking()}). It ends exactly once, through {@link RingEngine#end}.
 */
abstract class RingOp<T> extends IoFuture<T> {
    static final int QUEUED = 0;
    static final int ACTIVE = 1;
    static final int DONE = 2;

    /** {@link #complete} results. */
    static final int MORE = 0;   // wait for further completions of this submission
    static final int AGAIN = 1;  // submit the next step
    static final int END = 2;    // finished: value, error or cancelled is set

    private static final VarHandle STATE;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(RingOp.class, "state", int.class);
            NEXT = l.findVarHandle(RingOp.class, "next", RingOp.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final RingEngine engine;
    final OpKind kind;
    final RingFile file;
    final long startNanos;

    @SuppressWarnings("unused")
    private volatile int state;
    @SuppressWarnings("unused")
    private volatile RingOp<?> next;

    // ---- ring thread (or the fallback thread while it runs a step) ----
    int slot = -1;
    /** CQEs still expected for the SQEs in the kernel. */
    int cqesPending;
    boolean cancelIssued;
    /** Bytes moved so far; an operation that moved any is not cancelled any more. */
    long bytes;
    /** The outcome once {@link #END}. */
    T value;
    DiskIoException error;
    boolean cancelled;

    /** Set by {@link #cancel}; read by the ring thread. */
    volatile boolean cancelWanted;

    RingOp(RingEngine engine, OpKind kind, RingFile file) {
        this.engine = engine;
        this.kind = kind;
        this.file = file;
        this.startNanos = engine == null ? 0 : engine.stats.started();
    }

    // ------------------------------------------------------------------ steps

    /** Whether the next step runs as a blocking system call on the fallback thread. */
    boolean blocking() {
        return false;
    }

    /** The number of SQEs {@link #prepare} writes for the next step (1, or 2 for a linked pair). */
    int sqesNeeded() {
        return 1;
    }

    /** Writes the next step's SQEs with {@link RingLoop#put}. */
    abstract void prepare(RingLoop ring);

    /** Takes one completion of the step in the kernel; returns {@link #MORE}, {@link #AGAIN} or {@link #END}. */
    abstract int complete(RingLoop ring, int part, int res);

    /** Runs the next step as a blocking call (fallback thread); returns {@link #AGAIN} or {@link #END}. */
    int runBlocking() {
        throw new IllegalStateException(getClass().getSimpleName() + " has no blocking step");
    }

    /**
     * Gives back what the operation holds: its buffers ({@code endIo}), a descriptor it opened but
     * will not hand out. Called once, before the future completes (not for an abandoned operation).
     */
    void release() {
    }

    /** Leaves the file's gate (operations on an open file hold it while they run). */
    void exitGate() {
        if (file != null) {
            file.gate.exit();
        }
    }

    /** Frees ring-thread scratch memory the operation holds (ring thread). */
    void freeScratch(Scratch scratch) {
    }

    /** The bytes to count in the stats for a successful operation. */
    long statBytes() {
        return bytes;
    }

    Path path() {
        return file == null ? null : file.path();
    }

    // ------------------------------------------------------------------ outcomes (set before END)

    final int fail(int negativeErrno) {
        if (negativeErrno == -Errno.ECANCELED.number() || (negativeErrno == -Errno.EINTR.number() && cancelIssued)) {
            if (cancelWanted && bytes == 0) {
                cancelled = true;
                return END;
            }
        }
        error = DiskIoException.fromResult(kind, path(), negativeErrno);
        return END;
    }

    final int fail(Errno errno, String detail) {
        error = new DiskIoException(kind, path(), errno, detail);
        return END;
    }

    final int succeed(T result) {
        value = result;
        return END;
    }

    // ------------------------------------------------------------------ state and queue link

    boolean takeForRing() {
        return STATE.compareAndSet(this, QUEUED, ACTIVE) || (int) STATE.getVolatile(this) == ACTIVE;
    }

    /** Marks the operation done; {@code false} if it already was. */
    boolean markDone() {
        while (true) {
            int s = (int) STATE.getVolatile(this);
            if (s == DONE) {
                return false;
            }
            if (STATE.compareAndSet(this, s, DONE)) {
                return true;
            }
        }
    }

    boolean isActive() {
        return (int) STATE.getVolatile(this) == ACTIVE;
    }

    boolean isFinished() {
        return (int) STATE.getVolatile(this) == DONE;
    }

    void setNextPlain(RingOp<?> n) {
        NEXT.set(this, n);
    }

    void setNextRelease(RingOp<?> n) {
        NEXT.setRelease(this, n);
    }

    RingOp<?> nextAcquire() {
        return (RingOp<?>) NEXT.getAcquire(this);
    }

    // ------------------------------------------------------------------ IoFuture

    void completeFuture() {
        if (cancelled) {
            finishCancelled();
        } else if (error != null) {
            finishExceptionally(error);
        } else {
            finish(value);
        }
    }

    void failFuture(DiskIoException e) {
        finishExceptionally(e);
    }

    @Override
    protected boolean requestCancel() {
        if (STATE.compareAndSet(this, QUEUED, DONE)) {
            // Still in the queue: the ring thread will skip it. Nothing reached the kernel.
            cancelled = true;
            engine.endDropped(this);
            return true;
        }
        if (isActive()) {
            cancelWanted = true;
            engine.requestCancel(this);
        }
        return false;
    }

    /** The queue's placeholder node. */
    static final class Stub extends RingOp<Void> {
        Stub() {
            super(null, OpKind.CANCEL, null);
        }

        @Override
        void prepare(RingLoop ring) {
            throw new IllegalStateException("the queue stub is not an operation");
        }

        @Override
        int complete(RingLoop ring, int part, int res) {
            throw new IllegalStateException("the queue stub is not an operation");
        }
    }
}
