package dev.logcore.bench.log;

import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.DiskIoProvider;
import dev.logcore.log.Durability;
import dev.logcore.log.FetchResult;
import dev.logcore.log.LogSettings;
import dev.logcore.log.PartitionLog;
import dev.logcore.log.Record;
import dev.logcore.log.format.RecordCursor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/** Sequential fetch against fio on the same file, and the recovery scan of an unsealed tail. */
final class ReadLoads {
    private ReadLoads() {
    }

    private static final Record RECORD = new Record(null, new byte[AppendLoads.RECORD_BYTES], List.of(), 1_700_000_000_000L);

    /** Fills a partition with 100-byte records (policy none) until {@code stopWhen} says so. */
    private static void fill(PartitionLog p, java.util.function.BooleanSupplier stopWhen) throws InterruptedException {
        Semaphore window = new Semaphore(16384);
        int n = 0;
        while (true) {
            if ((++n & 4095) == 0 && stopWhen.getAsBoolean()) {
                break;
            }
            window.acquire();
            CompletableFuture<Long> f = p.append(RECORD);
            f.whenComplete((o, e) -> window.release());
        }
        window.acquire(16384);
        window.release(16384);
    }

    /** A partition whose first segment is sealed and holds {@code bytes} of batches; returns that segment's file. */
    static Path prepareSealedSegment(DiskIoProvider provider, Path dir, int bytes) throws IOException, InterruptedException {
        LogSettings s = LogSettings.builder().durability(Durability.NONE).segmentBytes(bytes).build();
        try (DiskIo io = provider.open(DiskIoConfig.defaults()); PartitionLog p = PartitionLog.open("fetch", dir, io, s)) {
            fill(p, () -> p.segmentCount() >= 2);
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().findFirst().orElseThrow();
        }
    }

    /**
     * Reads every record of the first segment with fetches of {@code fetchBytes}, touching each
     * record, as a consumer that keeps one fetch ahead does: the next fetch is issued as soon as the
     * current one is back, and runs while the current one's records are visited. One untimed pass
     * first, so the JIT and the page cache are warm, as they are for fio.
     */
    static Measurement fetch(DiskIoProvider provider, Path dir, Path segment, int fetchBytes) throws IOException {
        LogSettings s = LogSettings.builder().durability(Durability.NONE).segmentBytes((int) Math.min(1 << 30, Files.size(segment))).build();
        try (DiskIo io = provider.open(DiskIoConfig.defaults()); PartitionLog p = PartitionLog.open("fetch", dir, io, s)) {
            long end = nextSegmentBase(dir);
            readAll(p, end, fetchBytes);
            long t0 = System.nanoTime();
            long[] got = readAll(p, end, fetchBytes);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            return new Measurement("sequential fetch", provider.name(), got[0], elapsed, 0, got[1], null, io.stats(),
                    "fetches of " + fetchBytes + " bytes, one ahead, every record visited, page cache warm");
        }
    }

    private static long[] readAll(PartitionLog p, long end, int fetchBytes) {
        long records = 0;
        long bytes = 0;
        long checksum = 0;
        CompletableFuture<FetchResult> next = p.fetch(0, fetchBytes);
        while (next != null) {
            FetchResult r = next.join();
            next = r.nextOffset() < end ? p.fetch(r.nextOffset(), fetchBytes) : null;
            try (r) {
                RecordCursor c = r.cursor();
                while (c.next()) {
                    checksum += c.valueLength();
                    records++;
                }
                bytes += r.sizeInBytes();
            }
        }
        if (checksum != records * AppendLoads.RECORD_BYTES) {
            throw new IllegalStateException("fetched values do not add up: " + checksum);
        }
        return new long[] {records, bytes};
    }

    private static long nextSegmentBase(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> logs = files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
            String n = logs.get(1).getFileName().toString();
            return Long.parseLong(n.substring(0, 20));
        }
    }

    /** fio's sequential read of the same file, 1 MiB blocks, buffered (same page cache). Bytes per second. */
    static double fioSequentialRead(Path file) throws IOException, InterruptedException {
        String json = Bench.fio(List.of("--name=seqread", "--filename=" + file, "--rw=read", "--bs=1M", "--ioengine=psync",
                "--size=" + Files.size(file), "--numjobs=1", "--invalidate=0"));
        return Bench.number(json, "read", "bw_bytes");
    }

    /** A partition whose active (unsealed) segment holds about {@code bytes} of batches. */
    static long prepareUnsealedTail(DiskIoProvider provider, Path dir, int bytes) throws IOException, InterruptedException {
        LogSettings s = LogSettings.builder().durability(Durability.NONE).segmentBytes(1 << 30).build();
        try (DiskIo io = provider.open(DiskIoConfig.defaults()); PartitionLog p = PartitionLog.open("recovery", dir, io, s)) {
            Path log = dir.resolve("00000000000000000000.log");
            // Stop short of the largest segment (1 GiB), so that the segment is never sealed.
            long target = Math.min(bytes, (1L << 30) - (4 << 20));
            fill(p, () -> sizeOf(log) >= target || p.segmentCount() > 1);
            if (p.segmentCount() > 1) {
                throw new IllegalStateException("the recovery tail rolled into a second segment");
            }
        }
        Files.deleteIfExists(dir.resolve("recovery-point"));
        return sizeOf(dir.resolve("00000000000000000000.log"));
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Opens the partition: recovery scans and checks every batch of the unsealed segment. */
    static Measurement recovery(DiskIoProvider provider, Path dir, long bytes) throws IOException {
        LogSettings s = LogSettings.builder().durability(Durability.NONE).segmentBytes(1 << 30).build();
        try (DiskIo io = provider.open(DiskIoConfig.defaults())) {
            PartitionLog.open("recovery", dir, io, s).close(); // untimed: JIT and page cache warm
            long t0 = System.nanoTime();
            PartitionLog p = PartitionLog.open("recovery", dir, io, s);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            long records = p.logEndOffset();
            boolean fenced = p.isFenced();
            p.close();
            if (fenced) {
                throw new IllegalStateException("the benchmark log is fenced: " + p.fenceReason().orElseThrow().getMessage());
            }
            return new Measurement("recovery of an unsealed tail", provider.name(), records, elapsed, 0, bytes, null, null,
                    "open of a partition whose active segment holds " + bytes + " bytes; every batch CRC-checked, index rebuilt");
        }
    }
}
