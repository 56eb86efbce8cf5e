package dev.logcore.bench.log;

import java.nio.file.Path;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/**
 * The baseline: net.openhft Chronicle Queue (open source), one appender writing 100-byte excerpts
 * and syncing every {@code n} appends: the same durability batch as LogCore's group commit reached.
 * The queue is built with {@code syncMode(SyncMode.SYNC)} and the appender's {@code sync()} is
 * called, which runs {@code msync(MS_SYNC)} over what was written (the default mode makes it an
 * MS_ASYNC no-op, and the appender class does not implement Syncable, so
 * {@code Syncable.syncIfAvailable} would silently skip it: checked with strace). Needs the JVM
 * flags listed in {@link LogBench}.
 */
final class ChronicleBaseline {
    private ChronicleBaseline() {
    }

    static Measurement run(Path dir, int syncEvery, double warmupSeconds, double seconds) {
        try (ChronicleQueue q = SingleChronicleQueueBuilder.single(dir.toFile()).syncMode(SyncMode.SYNC).build()) {
            ExcerptAppender appender = q.createAppender();
            Method sync = appender.getClass().getMethod("sync");
            sync.setAccessible(true);
            Bytes<?> b = Bytes.allocateElasticDirect(AppendLoads.RECORD_BYTES);
            byte[] value = new byte[AppendLoads.RECORD_BYTES];
            loop(appender, sync, b, value, syncEvery, warmupSeconds);
            long t0 = System.nanoTime();
            long[] counts = loop(appender, sync, b, value, syncEvery, seconds);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            b.releaseLast();
            return new Measurement("chronicle-queue, sync every N", "chronicle", counts[0], elapsed, counts[1],
                    counts[0] * AppendLoads.RECORD_BYTES, null, null, "N = " + syncEvery + " (LogCore's records per fdatasync)");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Chronicle's appender has no usable sync(): " + e, e);
        } finally {
            Bench.deleteTree(dir);
        }
    }

    private static long[] loop(ExcerptAppender appender, Method sync, Bytes<?> b, byte[] value, int n, double seconds)
            throws IllegalAccessException, InvocationTargetException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long records = 0;
        long syncs = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < n; i++) {
                b.clear();
                b.write(value);
                appender.writeBytes(b);
            }
            records += n;
            sync.invoke(appender);
            syncs++;
        }
        return new long[] {records, syncs};
    }
}
