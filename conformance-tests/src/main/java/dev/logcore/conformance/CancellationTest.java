package dev.logcore.conformance;

import static dev.logcore.conformance.Target.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.DiskFile;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.IoFuture;
import dev.logcore.io.OpKind;
import dev.logcore.io.OpenFlag;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cancellation is a request: a cancelled operation took no effect and gave its buffer back; an
 * operation that could not be cancelled completes normally.
 */
class CancellationTest {

    @ConformanceTest(modes = Mode.BUFFERED)
    void anOperationWaitingInTheKernelIsCancelledOrCompletesNormally(Target t) throws Exception {
        Path fifo = t.fifo("cancel.fifo");
        DiskFile f = t.openPath(fifo, OpenFlag.READ, OpenFlag.WRITE);
        IoBuffer b = t.engine().allocate(4096);
        b.limit(4);
        IoFuture<Integer> read = f.read(b, 0);
        boolean droppedAtOnce = read.cancel(true);
        if (droppedAtOnce) {
            assertTrue(read.isCancelled(), "cancel() == true means the future is cancelled now");
        }
        try {
            read.copy().get(2, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // either cancelled by the kernel, or still waiting (a thread-based provider cannot stop it)
        }
        if (read.isDone()) {
            assertTrue(read.isCancelled(), "a read with no data can only end by being cancelled");
            assertTrue(b.isOwned(), "a cancelled operation gives its buffer back");
            OwnershipTest.feed(fifo, "late".getBytes());
            IoBuffer again = t.engine().allocate(4096).limit(4);
            assertEquals(4, await(f.read(again, 0)), "the cancelled read consumed nothing");
            assertArrayEquals("late".getBytes(), again.toArray(0, 4));
        } else {
            assertTrue(b.isInFlight(), "an operation not yet cancelled keeps its buffer");
            OwnershipTest.feed(fifo, "data".getBytes());
            assertEquals(4, await(read), "an operation the provider could not cancel completes normally");
            assertArrayEquals("data".getBytes(), b.toArray(0, 4));
        }
        await(f.close());
    }

    @ConformanceTest
    void aCancelledWriteTookNoEffectAndACompletedOneDid(Target t) {
        int block = t.direct() ? t.unit() : 4096;
        int n = 2000;
        DiskFile f = t.create("cancel-writes.dat");
        await(f.truncate((long) n * block)); // every block reads as zeros unless written
        List<IoFuture<Integer>> writes = new ArrayList<>();
        List<IoBuffer> bufs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            IoBuffer b = t.engine().allocate(block);
            b.fill(0, block, (byte) (1 + i % 250));
            bufs.add(b);
            writes.add(f.write(b, (long) i * block));
        }
        List<Boolean> cancelResults = new ArrayList<>();
        for (int i = n - 1; i >= 0; i--) {
            cancelResults.add(writes.get(i).cancel(false));
        }
        int cancelled = 0;
        IoBuffer r = t.engine().allocate(block);
        for (int i = 0; i < n; i++) {
            IoFuture<Integer> w = writes.get(i);
            try {
                w.copy().get(Target.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // inspected below
            }
            assertTrue(w.isDone(), "every operation ends after a cancel request");
            assertTrue(bufs.get(i).isOwned(), "the buffer is back once the operation ended");
            assertEquals(block, await(f.read(r, (long) i * block)));
            byte expect;
            if (w.isCancelled()) {
                cancelled++;
                expect = 0;
            } else {
                assertFalse(w.isCompletedExceptionally(), "a write that was not cancelled succeeded");
                expect = (byte) (1 + i % 250);
            }
            for (int k = 0; k < block; k += 512) {
                if (r.getByte(k) != expect) {
                    throw new AssertionError("block " + i + (w.isCancelled() ? " was cancelled but written" : " completed but is missing"));
                }
            }
        }
        long reportedTrue = cancelResults.stream().filter(x -> x).count();
        assertTrue(cancelled >= reportedTrue, "every cancel() that said true left a cancelled future");
        var stats = t.engine().stats();
        assertEquals(n, stats.of(OpKind.WRITE).count(), "every write is counted once");
        assertEquals(cancelled, stats.of(OpKind.WRITE).errors(), "cancelled writes count as not done");
        System.out.println("[conformance] " + t.name() + ": " + cancelled + " of " + n + " writes were cancelled");
        await(f.close());
    }

    @ConformanceTest(modes = Mode.BUFFERED)
    void cancellingACompletedOperationChangesNothing(Target t) {
        DiskFile f = t.create("done.dat");
        IoFuture<Integer> w = f.write(t.patterned(100, 1), 0);
        assertEquals(100, await(w));
        assertFalse(w.cancel(true));
        assertFalse(w.isCancelled());
        assertEquals(100, await(w));
        await(f.close());
    }
}
