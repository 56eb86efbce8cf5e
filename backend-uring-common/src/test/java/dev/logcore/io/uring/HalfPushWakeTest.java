package dev.logcore.io.uring;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.DiskIoConfig;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A producer preempted in the middle of its push (tail swapped, node not linked yet) must not make
 * the ring thread spin on {@code io_uring_enter}: the queue is not empty, but nothing is visible,
 * and the producer wakes the ring thread once it has linked its node. Before this was fixed the
 * ring thread looped on {@code submitAndReap(0, 0)} for as long as the producer stayed off the CPU
 * (on a loaded 2-core machine, milliseconds: a system call each turn, and one core taken from the
 * producer it waited for).
 */
class HalfPushWakeTest {
    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.privateLookupIn(OpQueue.class, MethodHandles.lookup())
                    .findVarHandle(OpQueue.class, "tail", RingOp.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Test
    void halfDonePushIsNotVisibleUntilLinked() {
        OpQueue q = new OpQueue();
        OpQueueTest.Item a = new OpQueueTest.Item(0, 0);
        OpQueueTest.Item b = new OpQueueTest.Item(0, 1);
        OpQueueTest.Item c = new OpQueueTest.Item(1, 0);
        assertFalse(q.hasVisible());

        // behind the stub
        RingOp<?> prev = halfPush(q, a);
        assertFalse(q.isEmpty(), "a push is under way");
        assertFalse(q.hasVisible(), "but nothing can be polled yet");
        assertNull(q.poll());
        prev.setNextRelease(a);
        assertTrue(q.hasVisible());

        // behind a node that poll() has made the head but not returned
        q.push(b);
        assertSame(a, q.poll()); // head is now b
        assertTrue(q.hasVisible(), "b is the last node: poll() can take it");
        prev = halfPush(q, c);
        assertSame(b, prev);
        assertFalse(q.hasVisible(), "b cannot be taken before c is linked behind it");
        assertNull(q.poll());
        prev.setNextRelease(c);
        assertTrue(q.hasVisible());
        assertSame(b, q.poll());
        assertSame(c, q.poll());
        assertFalse(q.hasVisible());
        assertTrue(q.isEmpty());
    }

    @Test
    void ringThreadSleepsOnAHalfDonePushAndTheProducerWakesIt() throws Exception {
        FakeRing.Kernel kernel = new FakeRing.Kernel();
        AtomicLong calls = new AtomicLong();
        RingEngine e = RingEngine.open("fake", DiskIoConfig.of(Map.of()), setup -> new CountingRing(kernel.open(setup), calls, new AtomicInteger()));
        try {
            Thread.sleep(100); // the ring thread goes idle
            OpQueueTest.Item op = new OpQueueTest.Item(0, 0);
            admission(e).incrementAndGet(); // as submit() does before it pushes
            RingOp<?> prev = halfPush(e.queue, op);

            e.loop.wakeAlways(); // something else (a completion, another producer) wakes the ring thread meanwhile
            Thread.sleep(50);
            long before = calls.get();
            Thread.sleep(300); // the producer "preempted" between its exchange and its link
            long during = calls.get() - before;
            assertTrue(during <= 5, "the ring thread entered the kernel " + during + " times while the push was half done");

            prev.setNextRelease(op); // the producer runs again: it links, then wakes the ring thread
            e.loop.wakeIfSleeping();
            assertNull(op.get(10, TimeUnit.SECONDS), "the operation ran once its push was complete");
        } finally {
            e.close();
        }
    }

    /** The first half of {@link OpQueue#push}: the tail swapped, the node not linked. */
    private static RingOp<?> halfPush(OpQueue q, RingOp<?> op) {
        op.setNextPlain(null);
        return (RingOp<?>) TAIL.getAndSet(q, op);
    }

    private static AtomicInteger admission(RingEngine e) throws ReflectiveOperationException {
        Field f = RingEngine.class.getDeclaredField("admission");
        f.setAccessible(true);
        return (AtomicInteger) f.get(e);
    }
}
