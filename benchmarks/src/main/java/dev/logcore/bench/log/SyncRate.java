package dev.logcore.bench.log;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.DiskIoProvider;
import dev.logcore.io.FsyncKind;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.OpenFlag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The ceiling under the log: appending write-then-fdatasync operations of {@code bytes} each
 * through the SPI alone, {@code depth} at a time, on one file. Concurrent fdatasyncs share journal
 * commits, so the rate at depth 4 shows what the log's group commit can get from the disk.
 */
final class SyncRate {
    private SyncRate() {
    }

    static double opsPerSecond(DiskIoProvider provider, Path file, int depth, int bytes, double seconds)
            throws IOException, InterruptedException {
        Files.deleteIfExists(file);
        try (DiskIo io = provider.open(DiskIoConfig.defaults())) {
            DiskFile f = io.open(file, OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE).join();
            LinkedBlockingQueue<IoBuffer> free = new LinkedBlockingQueue<>();
            for (int i = 0; i < depth; i++) {
                free.add(io.allocate(bytes));
            }
            AtomicLong position = new AtomicLong();
            LongAdder done = new LongAdder();
            long t0 = System.nanoTime();
            long end = t0 + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                IoBuffer b = free.take();
                f.writeThenSync(List.of(b), position.getAndAdd(bytes), FsyncKind.DATA).whenComplete((n, e) -> {
                    done.increment();
                    free.add(b);
                });
            }
            while (free.size() < depth) {
                Thread.sleep(1);
            }
            double rate = done.sum() / ((System.nanoTime() - t0) / 1e9);
            f.close().join();
            free.forEach(IoBuffer::close);
            return rate;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
