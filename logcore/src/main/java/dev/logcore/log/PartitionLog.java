package dev.logcore.log;

import dev.logcore.io.DiskIo;
import dev.logcore.io.IoBuffer;
import dev.logcore.log.format.BatchFormat;
import dev.logcore.log.format.BatchValidator;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One partition: an ordered sequence of records with dense offsets 0, 1, 2, ..., one writer (its
 * {@link PartitionWriter} thread) and any number of concurrent readers.
 *
 * <p>Appends return at once with a future that completes with the record's offset when the
 * partition's {@link Durability} policy holds for it (for the default, after the fdatasync that
 * covers it). Readers see exactly the acknowledged records: a fetch never returns a record whose
 * append has not completed, so never a batch that is still being written.
 */
public final class PartitionLog implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.logcore.log");
    /** The largest fetch: a bound on the memory one read takes. */
    public static final int MAX_FETCH_BYTES = 256 << 20;

    private final String name;
    private final Path dir;
    private final DiskIo io;
    private final LogSettings settings;
    private final BufferPool pool;
    private final boolean ownsPool;
    private final List<String> recoveryReport;
    private final PartitionWriter writer;
    private final int queueCapacity;
    private volatile Segment[] segments;
    private volatile long endOffset;
    private volatile PartitionFencedException fenced;
    private volatile boolean closing;
    private volatile boolean writerGone;
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();

    private PartitionLog(String name, Path dir, DiskIo io, LogSettings settings, BufferPool pool, boolean ownsPool,
                         BatchSlots slots, List<String> report, PartitionLoader.Loaded loaded, PartitionFencedException fenced) {
        this.name = name;
        this.ownsPool = ownsPool;
        this.dir = dir;
        this.io = io;
        this.settings = settings;
        this.pool = pool;
        this.recoveryReport = List.copyOf(report);
        this.fenced = fenced;
        if (loaded != null) {
            this.segments = loaded.segments().toArray(new Segment[0]);
            this.endOffset = loaded.nextOffset();
            this.writer = new PartitionWriter(this, io, settings, slots, loaded);
            this.queueCapacity = writer.queueCapacity();
        } else {
            this.segments = new Segment[0];
            this.writer = null;
            this.queueCapacity = 0;
            this.writerGone = true;
            closedFuture.complete(null);
        }
    }

    /**
     * Opens (creating if needed) and recovers the partition in {@code dir}. A partition whose synced
     * data is damaged opens fenced: every call then fails with the {@link PartitionFencedException}
     * that says where and why, and nothing was truncated.
     *
     * @param name a name for messages, such as {@code orders-3}
     * @throws IOException if the disk fails during recovery
     */
    public static PartitionLog open(String name, Path dir, DiskIo io, LogSettings settings) throws IOException {
        return open(name, dir, io, settings, new BufferPool(io), true, BatchSlots.forSettings(settings));
    }

    /** A partition of a store: it shares the store's buffer pool and extra batch slots. */
    static PartitionLog open(String name, Path dir, DiskIo io, LogSettings settings, BufferPool pool, BatchSlots slots)
            throws IOException {
        return open(name, dir, io, settings, pool, false, slots);
    }

    private static PartitionLog open(String name, Path dir, DiskIo io, LogSettings settings, BufferPool pool, boolean ownsPool,
                                     BatchSlots slots) throws IOException {
        List<String> report = new ArrayList<>();
        PartitionLoader.Loaded loaded;
        try {
            loaded = new PartitionLoader(name, dir, io, settings, report).load();
        } catch (CorruptLogException e) {
            report.add(e.getMessage());
            LOG.log(System.Logger.Level.ERROR, e.getMessage());
            if (ownsPool) {
                pool.close();
            }
            return new PartitionLog(name, dir, io, settings, pool, false, slots, report, null,
                    new PartitionFencedException(e.getMessage(), e));
        }
        PartitionLog p = new PartitionLog(name, dir, io, settings, pool, ownsPool, slots, report, loaded, null);
        p.writer.start("logcore-writer-" + name);
        return p;
    }

    /** The partition's name, for messages. */
    public String name() {
        return name;
    }

    Path dir() {
        return dir;
    }

    /** What recovery found and did when the partition was opened, one line per event. */
    public List<String> recoveryReport() {
        return recoveryReport;
    }

    /** The first offset still held (retention moves it forward; offsets never restart). */
    public long logStartOffset() {
        Segment[] s = segments;
        return s.length == 0 ? 0 : s[0].baseOffset;
    }

    /** The offset the next acknowledged record gets: one past the last acknowledged one. */
    public long logEndOffset() {
        return endOffset;
    }

    /** Whether the partition is fenced. */
    public boolean isFenced() {
        return fenced != null;
    }

    /** Why the partition is fenced, if it is. */
    public Optional<PartitionFencedException> fenceReason() {
        return Optional.ofNullable(fenced);
    }

    /** The settings the partition runs with. */
    public LogSettings settings() {
        return settings;
    }

    /** The number of segments (sealed and active). */
    public int segmentCount() {
        return segments.length;
    }

    /**
     * Appends a record. Never blocks: the future completes with the record's offset once the
     * durability policy holds, or fails with {@link AppendQueueFullException} at once when the
     * queue of pending appends is full, {@link RecordTooLargeException} when the record cannot fit a
     * batch, {@link PartitionFencedException} when the partition is fenced (a write or sync failed:
     * never acknowledged), {@link LogClosedException} after close.
     */
    public CompletableFuture<Long> append(Record record) {
        java.util.Objects.requireNonNull(record, "record");
        PartitionFencedException f = fenced;
        if (f != null) {
            return CompletableFuture.failedFuture(f);
        }
        if (closing) {
            return CompletableFuture.failedFuture(new LogClosedException(name));
        }
        int size = dev.logcore.log.format.RecordFormat.sizeOf(record);
        if (size > settings.maxRecordBytes()) {
            return CompletableFuture.failedFuture(new RecordTooLargeException(size, settings.maxRecordBytes()));
        }
        return enqueue(new PendingAppend(record, size));
    }

    /**
     * Appends a group of records as one unit, the way a Kafka producer sends a batch it built for
     * one partition: the records get consecutive offsets in list order, go into one batch (one
     * write, one CRC, under {@code DURABLE} one fdatasync), and so are recovered after a crash all
     * together or not at all. One future for the group: it completes with the offset of the first
     * record (record {@code i} has that offset + {@code i}) once the policy holds for all of them,
     * and fails as {@link #append} does. The group counts as one pending append against
     * {@code maxPendingAppends}. Do not change the records' arrays until the future completes.
     *
     * @param records at least one record; the list is copied
     * @return a future failing with {@link RecordTooLargeException} when the group does not fit one
     *     batch (more than {@code maxBatchRecords} records, or more than {@link #maxGroupBytes()}
     *     encoded bytes), or as {@link #append} says
     * @throws IllegalArgumentException if the list is empty
     */
    public CompletableFuture<Long> appendAll(List<Record> records) {
        List<Record> rs = List.copyOf(records); // null-checks every record; the count cannot change later
        if (rs.isEmpty()) {
            throw new IllegalArgumentException("appendAll needs at least one record");
        }
        PartitionFencedException f = fenced;
        if (f != null) {
            return CompletableFuture.failedFuture(f);
        }
        if (closing) {
            return CompletableFuture.failedFuture(new LogClosedException(name));
        }
        if (rs.size() > settings.maxBatchRecords()) {
            return CompletableFuture.failedFuture(new RecordTooLargeException("a group of " + rs.size()
                    + " records is more than one batch holds, " + settings.maxBatchRecords() + " (raise maxBatchRecords)"));
        }
        long size = 0;
        for (Record r : rs) {
            size += dev.logcore.log.format.RecordFormat.sizeOf(r);
        }
        if (size > maxGroupBytes()) {
            return CompletableFuture.failedFuture(new RecordTooLargeException("a group of " + rs.size() + " records, "
                    + size + " encoded bytes, is larger than the most a batch holds, " + maxGroupBytes()
                    + " bytes (raise maxBatchBytes)"));
        }
        return enqueue(new PendingAppend(rs, (int) size));
    }

    /** The most encoded bytes of records one batch, so one {@link #appendAll} group, holds. */
    public int maxGroupBytes() {
        return settings.maxRecordBytes();
    }

    private CompletableFuture<Long> enqueue(PendingAppend a) {
        if (!writer.offer(a)) {
            return CompletableFuture.failedFuture(new AppendQueueFullException(name, queueCapacity));
        }
        if (writerGone) {
            // Closed or fenced while we queued: the writer may not see this one any more.
            PartitionFencedException ff = fenced;
            a.fail(ff != null ? ff : new LogClosedException(name));
        }
        return a;
    }

    /**
     * Reads records from {@code offset}: whole batches of one segment, the first being the batch
     * holding {@code offset}, then more while they fit in {@code maxBytes} (the first batch is
     * returned even if it is larger, so a reader always makes progress). Every batch's CRC is
     * checked. At the end offset the result is empty.
     *
     * @throws IllegalArgumentException if maxBytes is not in [1, {@link #MAX_FETCH_BYTES}]
     * @return a future failing with {@link OffsetOutOfRangeException} (naming the valid range)
     *     when the offset is below the log start or past the end, {@link PartitionFencedException}
     *     when the partition is fenced, {@link CorruptLogException} when a batch read back is
     *     damaged (the partition is then fenced)
     */
    public CompletableFuture<FetchResult> fetch(long offset, int maxBytes) {
        if (maxBytes < 1 || maxBytes > MAX_FETCH_BYTES) {
            throw new IllegalArgumentException("maxBytes " + maxBytes + " outside [1, " + MAX_FETCH_BYTES + "]");
        }
        PartitionFencedException f = fenced;
        if (f != null) {
            return CompletableFuture.failedFuture(f);
        }
        if (closing) {
            return CompletableFuture.failedFuture(new LogClosedException(name));
        }
        for (int attempt = 0; ; attempt++) {
            long end = endOffset;
            Segment[] segs = segments;
            long start = segs[0].baseOffset;
            if (offset < start || offset > end) {
                return CompletableFuture.failedFuture(new OffsetOutOfRangeException(name, offset, start, end));
            }
            if (offset == end) {
                return CompletableFuture.completedFuture(FetchResult.empty(offset));
            }
            Segment s = floor(segs, offset);
            if (!s.acquire()) {
                if (attempt > 100) {
                    return CompletableFuture.failedFuture(new LogException(name + ": segment kept vanishing under the fetch"));
                }
                continue; // retention took it: look again
            }
            return readFrom(s, offset, end, maxBytes);
        }
    }

    private static Segment floor(Segment[] segs, long offset) {
        int lo = 0;
        int hi = segs.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (segs[mid].baseOffset <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return segs[lo];
    }

    private CompletableFuture<FetchResult> readFrom(Segment s, long offset, long end, int maxBytes) {
        long limit = s.readableBytes();
        long pos = s.index.floorPosition(offset - s.baseOffset);
        int want = (int) Math.min(limit - pos, (long) Math.max(maxBytes, 64 << 10) + settings.indexIntervalBytes());
        return readAt(s, pos, want, offset, end, maxBytes, limit, 0);
    }

    /** Reads {@code want} bytes at {@code pos} and picks the batches; a second read if the first was short. */
    private CompletableFuture<FetchResult> readAt(Segment s, long pos, int want, long offset, long end, int maxBytes,
                                                  long limit, int round) {
        IoBuffer buf;
        try {
            buf = pool.take(want);
        } catch (RuntimeException e) {
            s.release();
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Integer> read;
        try {
            read = s.read(buf, pos);
        } catch (RuntimeException e) {
            s.release();
            pool.give(buf);
            return CompletableFuture.failedFuture(e);
        }
        return read.handle((n, err) -> {
            if (err != null) {
                s.release();
                pool.give(buf);
                return CompletableFuture.<FetchResult>failedFuture(Io.asIo(err));
            }
            return pick(s, buf, pos, n, offset, end, maxBytes, limit, round);
        }).thenCompose(x -> x);
    }

    /**
     * Picks the batches to return from what was read: skips those below the offset, takes the
     * whole batches that fit {@code maxBytes} (at least the first), copies them out of the engine
     * buffer into a heap array (one bulk copy; the buffer goes back to the pool at once) and checks
     * each batch's CRC there. Parsing on the heap avoids a shared-arena view of the engine buffer per
     * fetch and the liveness check such a view costs on every field read, which dominated a
     * sequential read.
     */
    private CompletableFuture<FetchResult> pick(Segment s, IoBuffer buf, long pos, int n, long offset, long end,
                                                int maxBytes, long limit, int round) {
        int p = 0;
        // Skip whole batches below the offset (headers only; they are not returned).
        while (p + BatchFormat.HEADER_SIZE <= n) {
            int len = buf.getInt(p);
            long base = buf.getLong(p + BatchFormat.BASE_OFFSET_OFFSET);
            int count = buf.getInt(p + BatchFormat.RECORD_COUNT_OFFSET);
            if (len < BatchFormat.HEADER_SIZE || count < 1) {
                return corrupt(s, buf, pos + p, "batch header with length " + len + " and " + count + " records");
            }
            if (base + count > offset) {
                break;
            }
            p += len;
        }
        // The batch holding the offset must be whole in the buffer; else read again from it.
        int firstLen = p + 4 <= n ? buf.getInt(p) : -1;
        if (p + BatchFormat.HEADER_SIZE > n || (long) p + firstLen > n) {
            if (round > 0 && p == 0 && n < Math.min(firstLen, limit - pos)) {
                pool.give(buf);
                s.release();
                return CompletableFuture.failedFuture(new CorruptLogException(name + ": the file " + s.logPath.getFileName()
                        + " ended inside the batch at position " + pos + " while reading acknowledged data"));
            }
            long at = pos + p;
            pool.give(buf);
            int len = Math.max(firstLen, 0);
            int again = (int) Math.min(limit - at, Math.max((long) len, (long) Math.max(maxBytes, 64 << 10)));
            if (round > 2 || again <= 0) {
                s.release();
                return CompletableFuture.failedFuture(new CorruptLogException(name + ": cannot find the batch holding offset "
                        + offset + " in " + s.logPath.getFileName() + " near position " + at));
            }
            return readAt(s, at, again, offset, end, maxBytes, limit, round + 1);
        }
        int first = p;
        int q = first;
        while (q + BatchFormat.HEADER_SIZE <= n) {
            int len = buf.getInt(q);
            if (len < BatchFormat.HEADER_SIZE || (long) q + len > n) {
                break; // incomplete here (or damaged: the next fetch starts at it and says so)
            }
            if (q > first && (long) q + len - first > maxBytes) {
                break;
            }
            if (buf.getLong(q + BatchFormat.BASE_OFFSET_OFFSET) >= end) {
                break; // not acknowledged yet (only possible if the segment grew after we looked)
            }
            q += len;
            if (q - first >= maxBytes) {
                break;
            }
        }
        int size = q - first;
        byte[] heap = pool.takeHeap(size);
        buf.get(first, heap, 0, size);
        pool.give(buf);
        s.release();
        MemorySegment hs = MemorySegment.ofArray(heap);
        BatchValidator v = new BatchValidator();
        long expected = -1;
        int records = 0;
        long next = offset;
        for (int r = 0; r < size; r += v.length()) {
            if (v.check(hs, r, size - r, expected, false) != BatchValidator.OK) {
                pool.giveHeap(heap);
                return corrupt(s, pos + first + r, v.problem());
            }
            records += (int) (v.nextOffset() - Math.max(v.baseOffset(), offset));
            next = v.nextOffset();
            expected = next;
        }
        return CompletableFuture.completedFuture(new FetchResult(pool, heap, size, offset, next, records));
    }

    private CompletableFuture<FetchResult> corrupt(Segment s, IoBuffer buf, long at, String why) {
        s.release();
        pool.give(buf);
        return corrupt(s, at, why);
    }

    private CompletableFuture<FetchResult> corrupt(Segment s, long at, String why) {
        CorruptLogException e = new CorruptLogException(name + ": batch at position " + at + " of " + s.logPath.getFileName()
                + " is damaged (" + why + "): acknowledged data is corrupt; the partition is fenced");
        fence(new PartitionFencedException(e.getMessage(), e));
        return CompletableFuture.failedFuture(e);
    }

    /** Seals the active segment once everything queued before is written (it must hold a batch). */
    public CompletableFuture<Void> roll() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (writer == null || writerGone) {
            done.completeExceptionally(fenced != null ? fenced : new LogClosedException(name));
            return done;
        }
        writer.control(() -> writer.requestRoll(done));
        return done;
    }

    /** Runs retention now; completes with the number of segments deleted. */
    public CompletableFuture<Integer> applyRetention() {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        if (writer == null || writerGone) {
            done.completeExceptionally(fenced != null ? fenced : new LogClosedException(name));
            return done;
        }
        writer.control(() -> {
            try {
                done.complete(writer.applyRetention(System.currentTimeMillis()));
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    // ---- called by the writer ----

    void publishEnd(long end) {
        endOffset = end;
    }

    void addSegment(Segment s) {
        Segment[] old = segments;
        Segment[] n = Arrays.copyOf(old, old.length + 1);
        n[old.length] = s;
        segments = n;
    }

    Segment[] segments() {
        return segments;
    }

    List<Segment> dropOldest(int count) {
        Segment[] old = segments;
        segments = Arrays.copyOfRange(old, count, old.length);
        return List.of(Arrays.copyOf(old, count));
    }

    void fence(PartitionFencedException e) {
        if (fenced == null) {
            fenced = e;
        }
        if (writer != null) {
            writer.wake();
        }
    }

    void closeFiles() {
        for (Segment s : segments) {
            try {
                Io.await(s.file.close());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, name + ": closing " + s.logPath.getFileName() + " failed: " + e);
            }
        }
    }

    void markWriterGone() {
        writerGone = true;
    }

    void writerExited() {
        writerGone = true;
        if (ownsPool) {
            pool.close();
        }
        closedFuture.complete(null);
    }

    /**
     * Closes the partition: new appends are refused, the ones queued are written (under their
     * policy), everything acknowledged is synced, the recovery point written and the files closed.
     * Waits up to a minute for the writer.
     */
    @Override
    public void close() {
        if (closing) {
            awaitClosed();
            return;
        }
        closing = true;
        if (writer != null && !writerGone) {
            writer.control(() -> writer.requestClose(closedFuture));
        }
        awaitClosed();
    }

    private void awaitClosed() {
        try {
            closedFuture.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            LOG.log(System.Logger.Level.ERROR, name + ": the writer did not finish within 60 s of close");
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.log(System.Logger.Level.ERROR, name + ": close failed: " + e.getCause());
        }
    }

    @Override
    public String toString() {
        return "PartitionLog[" + name + ", offsets " + logStartOffset() + ".." + endOffset + (isFenced() ? ", fenced" : "") + "]";
    }
}
