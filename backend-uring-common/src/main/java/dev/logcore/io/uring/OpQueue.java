package dev.logcore.io.uring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The engine's submission queue: any thread pushes, only the ring thread polls. It is Dmitry
 * Vyukov's intrusive MPSC queue: the operations are their own nodes (the {@code next} field of
 * {@link RingOp}), so enqueueing allocates nothing and costs one atomic exchange. Written here
 * rather than taken from JCTools because an intrusive queue cannot be a library's generic
 * container, and a node per operation is what this engine avoids.
 *
 * <p>A pushed operation may be invisible to {@link #poll()} for a moment (a producer has swapped
 * the tail but not linked it yet); {@link #isEmpty()} reports such a queue as non-empty, so the
 * ring thread never sleeps on it.
 */
final class OpQueue {
    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(OpQueue.class, "tail", RingOp.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final RingOp<?> stub = new RingOp.Stub();
    /** The producers' end, swapped atomically. */
    @SuppressWarnings("unused")
    private volatile RingOp<?> tail = stub;
    /** The consumer's end (ring thread only). */
    private RingOp<?> head = stub;

    /** Adds an operation; any thread. An operation is in the queue at most once at a time. */
    void push(RingOp<?> op) {
        op.setNextPlain(null);
        RingOp<?> prev = (RingOp<?>) TAIL.getAndSet(this, op);
        prev.setNextRelease(op);
    }

    /** The oldest operation, or {@code null} if none is visible now. Ring thread only. */
    RingOp<?> poll() {
        RingOp<?> h = head;
        RingOp<?> next = h.nextAcquire();
        if (h == stub) {
            if (next == null) {
                return null;
            }
            head = next;
            h = next;
            next = next.nextAcquire();
        }
        if (next != null) {
            head = next;
            return h;
        }
        if (h != tail) {
            return null; // a producer is between its exchange and its link
        }
        push(stub);
        next = h.nextAcquire();
        if (next != null) {
            head = next;
            return h;
        }
        return null;
    }

    /**
     * Whether {@link #poll()} would return an operation now. Unlike {@link #isEmpty()} it is false
     * while the only pending push is half done (its producer swapped the tail but has not linked its
     * node yet): that producer still has to call {@code RingLoop.wakeIfSleeping()}, so the ring
     * thread may sleep instead of spinning until a preempted producer runs again. Ring thread only.
     */
    boolean hasVisible() {
        RingOp<?> h = head;
        if (h.nextAcquire() != null) {
            return true;
        }
        return h != stub && h == tail; // the last node: poll() takes it by pushing the stub behind it
    }

    /** Whether nothing was pushed that has not been polled. Ring thread only. */
    boolean isEmpty() {
        RingOp<?> h = head;
        return h == stub && h.nextAcquire() == null && tail == stub;
    }
}
