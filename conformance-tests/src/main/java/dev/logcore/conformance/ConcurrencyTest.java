package dev.logcore.conformance;

import static dev.logcore.conformance.Target.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.DiskIoException;
import dev.logcore.io.Errno;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.IoFuture;
import dev.logcore.io.OpenFlag;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Many threads, many operations in flight, and an engine closed under load. */
class ConcurrencyTest {
    private static final int THREADS = 8;
    private static final int PER_THREAD = 1250; // 10,000 in all

    @ConformanceTest
    void tenThousandOperationsInFlightFromEightThreadsEveryByteVerified(Target t) throws Exception {
        int block = t.direct() ? t.unit() : 4096;
        DiskFile f = t.create("concurrent.dat");
        List<List<IoFuture<Integer>>> futures = new ArrayList<>();
        List<List<IoBuffer>> buffers = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int th = 0; th < THREADS; th++) {
            List<IoFuture<Integer>> fs = new ArrayList<>();
            List<IoBuffer> bs = new ArrayList<>();
            futures.add(fs);
            buffers.add(bs);
            int thread = th;
            threads.add(Thread.ofPlatform().name("submitter-" + th).start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < PER_THREAD; i++) {
                        int index = thread * PER_THREAD + i;
                        IoBuffer b = t.engine().allocate(block);
                        b.putInt(0, index).putInt(block - 4, ~index);
                        b.put(4, Target.pattern(64, index));
                        bs.add(b);
                        fs.add(f.write(b, (long) index * block));
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        start.countDown();
        for (Thread th : threads) {
            th.join(TimeUnit.SECONDS.toMillis(Target.TIMEOUT_SECONDS));
        }
        if (!errors.isEmpty()) {
            throw new AssertionError("a submitter failed", errors.get(0));
        }
        for (int th = 0; th < THREADS; th++) {
            for (IoFuture<Integer> w : futures.get(th)) {
                assertEquals(block, await(w));
            }
            for (IoBuffer b : buffers.get(th)) {
                assertTrue(b.isOwned());
                b.close();
            }
        }
        int total = THREADS * PER_THREAD;
        assertEquals((long) total * block, await(f.size()));
        int perRead = 256;
        IoBuffer r = t.engine().allocate(perRead * block);
        for (int first = 0; first < total; first += perRead) {
            int n = Math.min(perRead, total - first);
            r.limit(n * block);
            assertEquals(n * block, await(f.read(r, (long) first * block)));
            for (int k = 0; k < n; k++) {
                int index = first + k;
                int at = k * block;
                if (r.getInt(at) != index || r.getInt(at + block - 4) != ~index) {
                    fail("block " + index + " holds block " + r.getInt(at) + "'s data");
                }
                byte[] body = r.toArray(at + 4, 64);
                if (!java.util.Arrays.equals(body, Target.pattern(64, index))) {
                    fail("block " + index + " is corrupt");
                }
            }
        }
        assertEquals(0, t.engine().stats().inFlight(), "nothing is left in flight");
        await(f.close());
    }

    @ConformanceTest(modes = Mode.BUFFERED)
    void closingTheEngineUnderLoadCompletesOrFailsEveryOperationInBoundedTime(Target t) throws Exception {
        DiskIo engine = t.newEngine(Map.of(DiskIoConfig.CLOSE_TIMEOUT_MS, "1000"));
        DiskFile f = await(engine.open(t.file("load.dat"), OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE));
        Path fifo = t.fifo("stuck.fifo");
        DiskFile pipe = await(engine.open(fifo, OpenFlag.READ, OpenFlag.WRITE));
        List<IoFuture<?>> ops = new ArrayList<>();
        List<IoBuffer> bufs = new ArrayList<>();
        IoBuffer forever = engine.allocate(4096);
        bufs.add(forever);
        ops.add(pipe.read(forever, 0)); // never fed: only the close can end it
        for (int i = 0; i < 5000; i++) {
            IoBuffer b = engine.allocate(4096);
            b.putInt(0, i);
            bufs.add(b);
            ops.add(i % 10 == 9 ? f.sync(dev.logcore.io.FsyncKind.DATA) : f.write(b, i * 4096L));
        }
        long t0 = System.nanoTime();
        engine.close();
        long closeMillis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(closeMillis < 30_000, "close() returned within a bounded time (took " + closeMillis + " ms)");
        Set<Errno> allowed = EnumSet.of(Errno.ECANCELED, Errno.ESHUTDOWN, Errno.EBADF, Errno.EINTR);
        int completed = 0;
        int failed = 0;
        for (IoFuture<?> op : ops) {
            try {
                op.get(10, TimeUnit.SECONDS);
                completed++;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof DiskIoException d) || !allowed.contains(d.errno())) {
                    throw new AssertionError("an operation ended by the close must fail with ECANCELED, ESHUTDOWN or EBADF", e.getCause());
                }
                failed++;
            } catch (CancellationException e) {
                failed++;
            } catch (TimeoutException e) {
                fail("an operation was left hanging after the engine closed");
            }
        }
        assertEquals(ops.size(), completed + failed);
        assertTrue(ops.get(0).isCompletedExceptionally(), "the read that could never finish was failed by the close");
        for (IoBuffer b : bufs) {
            assertTrue(b.isOwned(), "every buffer is back with the caller once its operation ended");
        }
        assertEquals(0, engine.stats().inFlight());
        assertTrue(!f.isOpen() && !pipe.isOpen(), "the engine's files are closed");
    }
}
