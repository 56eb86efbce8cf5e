package dev.logcore.conformance;

import static dev.logcore.conformance.Target.await;
import static dev.logcore.conformance.Target.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoStats;
import dev.logcore.io.FsyncKind;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.IoFuture;
import dev.logcore.io.OpKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The stats agree with the operations that were done. */
class StatsTest {

    @ConformanceTest
    void statsCountExactlyTheOperationsAndBytesDone(Target t) {
        DiskIo engine = t.newEngine(Map.of());
        int block = t.direct() ? t.unit() : 1000;
        DiskFile f = await(engine.open(t.file("stats.dat"), t.direct()
                ? new dev.logcore.io.OpenFlag[] {dev.logcore.io.OpenFlag.READ, dev.logcore.io.OpenFlag.WRITE, dev.logcore.io.OpenFlag.CREATE, dev.logcore.io.OpenFlag.DIRECT}
                : new dev.logcore.io.OpenFlag[] {dev.logcore.io.OpenFlag.READ, dev.logcore.io.OpenFlag.WRITE, dev.logcore.io.OpenFlag.CREATE}));
        assertEquals(t.provider(), engine.providerName());
        assertEquals(t.provider(), engine.stats().provider());
        int writes = 37;
        int reads = 23;
        List<IoFuture<Integer>> ops = new ArrayList<>();
        for (int i = 0; i < writes; i++) {
            IoBuffer b = engine.allocate(block);
            b.putInt(0, i);
            ops.add(f.write(b, (long) i * block));
        }
        ops.forEach(Target::await);
        ops.clear();
        for (int i = 0; i < reads; i++) {
            ops.add(f.read(engine.allocate(block), (long) i * block));
        }
        ops.forEach(Target::await);
        await(f.writev(List.of(engine.allocate(block), engine.allocate(block)), 0));
        await(f.sync(FsyncKind.DATA));
        await(f.sync(FsyncKind.FULL));
        await(f.size());
        DiskFile writeOnly = await(engine.open(t.file("wo.dat"), dev.logcore.io.OpenFlag.WRITE, dev.logcore.io.OpenFlag.CREATE));
        failure(writeOnly.read(engine.allocate(block), 0)); // EBADF from the kernel

        DiskIoStats s = engine.stats();
        assertEquals(writes, s.of(OpKind.WRITE).count());
        assertEquals((long) writes * block, s.of(OpKind.WRITE).bytes());
        assertEquals(0, s.of(OpKind.WRITE).errors());
        assertEquals(reads + 1, s.of(OpKind.READ).count(), "reads, with the failed one");
        assertEquals((long) reads * block, s.of(OpKind.READ).bytes());
        assertEquals(1, s.of(OpKind.READ).errors(), "the failed read is an error");
        assertEquals(1, s.of(OpKind.WRITEV).count());
        assertEquals(2L * block, s.of(OpKind.WRITEV).bytes());
        assertEquals(2, s.of(OpKind.SYNC).count());
        assertEquals(1, s.of(OpKind.SIZE).count());
        assertEquals(2, s.of(OpKind.OPEN).count());
        assertEquals(0, s.inFlight(), "nothing in flight once every future is done");
        assertTrue(s.systemCalls() > 0, "system calls are counted");
        assertTrue(s.submitCalls() > 0 && s.submitCalls() <= s.systemCalls(), "submitting calls are among the system calls: " + s);
        assertTrue(s.submittedOps() >= writes + reads, "submitted operations are counted: " + s.submittedOps());
        assertTrue(s.meanBatch() >= 1.0 - 1e-9, "a batch holds at least one operation on average: " + s.meanBatch());
        assertTrue(s.latency().count() >= writes + reads + 4, "every completed operation has a latency");
        assertTrue(s.latency().p50Nanos() > 0 && s.latency().p50Nanos() <= s.latency().p99Nanos()
                && s.latency().p99Nanos() <= s.latency().maxNanos(), "percentiles are ordered: " + s.latency());
        assertTrue(s.format().contains(t.provider()));
        await(f.close());
        await(writeOnly.close());
        assertEquals(2, engine.stats().of(OpKind.CLOSE).count());
    }
}
