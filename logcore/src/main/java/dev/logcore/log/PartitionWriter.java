package dev.logcore.log;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoException;
import dev.logcore.io.Errno;
import dev.logcore.io.FsyncKind;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.IoFuture;
import dev.logcore.io.OpKind;
import dev.logcore.io.OpenFlag;
import dev.logcore.log.format.BatchBuilder;
import dev.logcore.log.format.RecordFormat;
import dev.logcore.log.format.SegmentFooter;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32C;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * The one writer of a partition, on a thread of its own (Kafka's model: one appender per
 * partition). It turns the queue of pending appends into batches (group commit): records that
 * arrive while earlier batches are on their way to the disk go into the next batch, which is then
 * one write, and under {@link Durability#DURABLE} one write-then-fdatasync through the SPI.
 *
 * <p>Up to {@link LogSettings#maxInFlightBatches()} batches are in flight at once; they are
 * acknowledged strictly in order, each only after its own operation (and every earlier one)
 * succeeded, so an acknowledgement never depends on a write that might still fail. Any failed write
 * or sync is fatal for the partition: it is fenced, the pending appends fail, and nothing is
 * retried (after a failed fsync the kernel may have dropped the dirty pages, so a retry that
 * succeeds proves nothing).
 *
 * <p>Everything in here runs on the writer thread except {@link #offer}, {@link #control} and
 * {@link #wake}, and the completion callbacks, which only set a batch's outcome and wake the writer.
 * Append futures are completed on the writer thread: their dependents must not block.
 */
final class PartitionWriter implements Runnable {
    private static final System.Logger LOG = System.getLogger("dev.logcore.log.writer");
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final PartitionLog log;
    private final DiskIo io;
    private final LogSettings settings;
    private final MpscAtomicArrayQueue<PendingAppend> queue;
    private final ConcurrentLinkedQueue<Runnable> control = new ConcurrentLinkedQueue<>();
    private final BatchBuilder builder = new BatchBuilder();
    private final ArrayDeque<WriteBatch> inFlight = new ArrayDeque<>();
    private final ArrayDeque<WriteBatch> free = new ArrayDeque<>();
    private final List<WriteBatch> allBatches = new ArrayList<>();
    private final boolean durable;
    private final BatchSlots slots;
    /** Shared slots this writer holds: one per batch in flight beyond the first. */
    private int extraSlots;
    private volatile Thread thread;
    private volatile boolean parked;
    /**
     * Whether a new append should wake the parked writer: only when the writer could act on it at
     * once (a batch slot is free). With every slot taken the next completion wakes the writer,
     * which then takes everything queued meanwhile; waking it per append would cost a futex call
     * and a context switch per record for nothing.
     */
    private volatile boolean appendsWake = true;

    // Writer-thread state.
    private Segment active;
    private long writePosition;
    private long nextOffset;
    private int activeBatches;
    private CRC32C activeChain;
    /** Wall-clock time the active segment took its first batch (or was reopened holding some), -1 while empty. */
    private long activeSinceMillis;
    private long lastIndexedPosition;
    private WriteBatch open;
    private PendingAppend carry;
    private long ackedEnd;
    private long durableEnd;
    private IoFuture<Void> intervalSync;
    private long intervalSyncEnd;
    private long lastSyncNanos;
    private long nextRetentionNanos;
    private boolean closeRequested;
    private final List<CompletableFuture<Void>> rollRequests = new ArrayList<>();
    private CompletableFuture<Void> closed;
    private Throwable failure;

    PartitionWriter(PartitionLog log, DiskIo io, LogSettings settings, BatchSlots slots, PartitionLoader.Loaded loaded) {
        this.log = log;
        this.slots = slots;
        this.io = io;
        this.settings = settings;
        this.queue = new MpscAtomicArrayQueue<>(settings.maxPendingAppends());
        this.durable = settings.durability() == Durability.DURABLE;
        this.active = loaded.segments().get(loaded.segments().size() - 1);
        this.writePosition = loaded.writePosition();
        this.nextOffset = loaded.nextOffset();
        this.activeBatches = loaded.activeBatches();
        this.activeChain = loaded.activeChain();
        this.activeSinceMillis = loaded.writePosition() > 0 ? System.currentTimeMillis() : -1;
        this.lastIndexedPosition = loaded.lastIndexedPosition();
        this.ackedEnd = nextOffset;
        this.durableEnd = nextOffset; // recovery synced what it kept
        this.lastSyncNanos = System.nanoTime();
        this.nextRetentionNanos = System.nanoTime();
    }

    /** The capacity of the pending-append queue (the setting rounded up to a power of two). */
    int queueCapacity() {
        return queue.capacity();
    }

    void start(String threadName) {
        Thread t = new Thread(this, threadName);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    // ---- called by any thread ----

    /** Queues an append; {@code false} if the queue is full. */
    boolean offer(PendingAppend a) {
        if (!queue.offer(a)) {
            return false;
        }
        if (appendsWake && parked) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    /** Runs {@code task} on the writer thread. */
    void control(Runnable task) {
        control.add(task);
        wake();
    }

    void wake() {
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    boolean isWriterThread() {
        return Thread.currentThread() == thread;
    }

    void awaitExit(long millis) throws InterruptedException {
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.join(millis);
        }
    }

    // ---- the writer thread ----

    @Override
    public void run() {
        try {
            for (int i = 0; i < settings.maxInFlightBatches() + 1; i++) {
                WriteBatch b = new WriteBatch(io.allocate(settings.batchCapacity()), settings.maxBatchRecords());
                allBatches.add(b);
                free.add(b);
            }
            loop();
        } catch (Throwable t) {
            fail(t instanceof PartitionFencedException pf ? pf
                    : new PartitionFencedException(log.name() + ": the partition writer failed: " + t, t));
            try {
                drainAfterFailure();
            } catch (Throwable ignored) {
                // best effort: the partition is fenced already
            }
            finishClose();
        }
    }

    private void loop() throws IOException {
        while (true) {
            boolean progress = runControl();
            progress |= reap();
            if (failure != null) {
                drainAfterFailure();
                if (closeRequested && inFlight.isEmpty() && intervalSync == null) {
                    finishClose();
                    return;
                }
                if (!progress) {
                    idle(MAX_PARK_NANOS);
                }
                continue;
            }
            progress |= fill();
            progress |= submitIfReady();
            progress |= maybeIntervalSync();
            progress |= maybeRetention();
            progress |= maybeRequestedRoll();
            if (closeRequested && queue.isEmpty() && carry == null && (open == null || open.count == 0)
                    && inFlight.isEmpty() && intervalSync == null) {
                closeCleanly();
                finishClose();
                return;
            }
            if (!progress) {
                idle(nextTimerNanos());
            }
        }
    }

    private boolean hasWork() {
        if (!control.isEmpty() || (!queue.isEmpty() && canTakeAppends())) {
            return true;
        }
        WriteBatch head = inFlight.peekFirst();
        if (head != null && head.done) {
            return true;
        }
        IoFuture<Void> s = intervalSync;
        return s != null && s.isDone();
    }

    /**
     * Whether queued appends are work now: they can go into a batch (the open one has room, or a
     * free buffer can open one), or must be failed or drained (failure, close). Otherwise they
     * wait for a completion, and the writer sleeps instead of spinning on a non-empty queue.
     */
    private boolean canTakeAppends() {
        return failure != null || closeRequested || (carry == null && (open != null || !free.isEmpty()));
    }

    private void idle(long nanos) {
        appendsWake = failure != null || closeRequested || (slotFree() && canTakeAppends());
        // A short spin catches the next append or completion without a park/unpark round trip.
        for (int i = 0; i < 64; i++) {
            if (hasWork()) {
                return;
            }
            Thread.onSpinWait();
        }
        parked = true;
        try {
            if (!hasWork()) {
                LockSupport.parkNanos(this, Math.max(1000, nanos));
            }
        } finally {
            parked = false;
        }
    }

    private long nextTimerNanos() {
        long now = System.nanoTime();
        long t = MAX_PARK_NANOS;
        if (open != null && open.count > 0) {
            t = Math.min(t, open.openedNanos + settings.linger().toNanos() - now);
        }
        if (settings.durability() == Durability.INTERVAL && durableEnd < ackedEnd) {
            t = Math.min(t, lastSyncNanos + settings.syncInterval().toNanos() - now);
        }
        t = Math.min(t, nextRetentionNanos - now);
        return Math.max(t, 1000);
    }

    private boolean runControl() {
        boolean any = false;
        Runnable r;
        while ((r = control.poll()) != null) {
            r.run();
            any = true;
        }
        return any;
    }

    /** Moves pending appends into the open batch while they fit. */
    private boolean fill() {
        if (open == null) {
            open = free.pollFirst();
            if (open == null) {
                return false;
            }
            open.reset();
            builder.reset(open.staging, settings.batchCapacity());
        }
        boolean any = false;
        WriteBatch b = open;
        int max = settings.maxBatchRecords();
        while (b.records < max) {
            PendingAppend a = carry;
            if (a != null) {
                carry = null;
            } else {
                a = queue.relaxedPoll();
                if (a == null) {
                    break;
                }
            }
            if (!builder.fits(a.size) || b.records + a.count > max) {
                carry = a;
                break;
            }
            if (b.count == 0) {
                b.openedNanos = System.nanoTime();
            }
            try {
                if (a.records == null) {
                    builder.add(a.record, a.size);
                } else {
                    addGroup(a);
                }
            } catch (RuntimeException e) {
                // The producer changed the record's arrays (or the group) during the append. The
                // batch is as it was before this append; refuse this one only.
                a.fail(new LogException(log.name() + ": append refused: " + e.getMessage(), e));
                continue;
            }
            b.appends[b.count++] = a;
            b.records += a.count;
            any = true;
        }
        return any;
    }

    /** Encodes a group whole or not at all: its records share one batch, so one CRC and one fate. */
    private void addGroup(PendingAppend a) {
        builder.mark();
        try {
            long total = 0;
            for (Record r : a.records) {
                int size = RecordFormat.sizeOf(r);
                total += size;
                builder.add(r, size);
            }
            if (total != a.size) {
                throw new IllegalStateException("the group encoded to " + total + " bytes, expected " + a.size
                        + " (was it changed during the append?)");
            }
        } catch (RuntimeException e) {
            builder.rewind();
            throw e;
        }
    }

    /** Whether another batch may go out now: the first always, more with a shared slot. */
    private boolean slotFree() {
        int n = inFlight.size();
        return n == 0 || (n < settings.maxInFlightBatches() && slots.available());
    }

    /** Gives back the shared slots no longer needed: one per batch in flight beyond the first. */
    private void releaseSlots() {
        while (extraSlots > Math.max(0, inFlight.size() - 1)) {
            extraSlots--;
            slots.give();
        }
    }

    private boolean batchFull(WriteBatch b) {
        return b.records >= settings.maxBatchRecords() || carry != null;
    }

    /** Sends the open batch when a slot is free and linger allows (or the batch is full). */
    private boolean submitIfReady() throws IOException {
        WriteBatch b = open;
        if (b == null || b.count == 0 || !slotFree()) {
            return false;
        }
        if (!batchFull(b) && !settings.linger().isZero()
                && System.nanoTime() - b.openedNanos < settings.linger().toNanos()) {
            return false;
        }
        int size = builder.size();
        boolean tooBig = writePosition > 0 && writePosition + size > settings.segmentBytes();
        // Age is wall-clock time, not record timestamps: producers may stamp records with any time.
        boolean tooOld = writePosition > 0 && activeSinceMillis >= 0
                && System.currentTimeMillis() - activeSinceMillis >= settings.segmentAge().toMillis();
        if (tooBig || tooOld) {
            if (!inFlight.isEmpty() || intervalSync != null) {
                return false; // roll once everything before it is on disk
            }
            try {
                roll();
            } catch (IOException e) {
                fail(new PartitionFencedException(log.name() + ": sealing " + active.logPath.getFileName()
                        + " failed; the partition is fenced and nothing is retried: " + e, e));
                return true;
            }
        }
        if (!inFlight.isEmpty()) {
            if (!slots.tryTake()) {
                return false; // another partition took the last shared slot meanwhile
            }
            extraSlots++;
        }
        submit(b);
        return true;
    }

    private void submit(WriteBatch b) throws IOException {
        long base = nextOffset;
        int length = builder.finish(base, durableEnd);
        SegmentFooter.chain(activeChain, builder.crc());
        b.buffer.put(0, b.staging, 0, length);
        b.length = length;
        b.baseOffset = base;
        b.position = writePosition;
        b.segment = active;
        b.maxTimestamp = builder.maxTimestamp();
        if (writePosition > 0 && writePosition - lastIndexedPosition >= settings.indexIntervalBytes()) {
            active.index.append((int) (base - active.baseOffset), (int) writePosition);
            lastIndexedPosition = writePosition;
        }
        if (activeSinceMillis < 0) {
            activeSinceMillis = System.currentTimeMillis();
        }
        b.buffer.limit(length);
        open = null;
        inFlight.addLast(b);
        writePosition += length;
        nextOffset = base + b.records;
        activeBatches++;
        DiskFile file = active.file;
        IoFuture<Long> op;
        try {
            op = durable ? file.writeThenSync(List.of(b.buffer), b.position, FsyncKind.DATA)
                    : file.writev(List.of(b.buffer), b.position);
        } catch (RuntimeException e) {
            b.error = e;
            b.done = true;
            return;
        }
        op.whenComplete((n, err) -> {
            if (err != null) {
                b.error = err;
            } else {
                b.written = n;
            }
            b.done = true;
            wake();
        });
    }

    /** Acknowledges finished batches in order. */
    private boolean reap() {
        boolean any = false;
        WriteBatch head;
        while ((head = inFlight.peekFirst()) != null && head.done) {
            inFlight.pollFirst();
            any = true;
            Throwable err = head.error;
            if (err == null && head.written != head.length) {
                err = new DiskIoException(durable ? OpKind.WRITE_SYNC : OpKind.WRITEV, head.segment.logPath, Errno.EIO,
                        "the engine reported " + head.written + " of " + head.length + " bytes written");
            }
            if (failure != null) {
                // An earlier batch failed: a later one that reached the disk is never acknowledged.
                failBatch(head, failure);
                continue;
            }
            if (err != null) {
                String what = durable ? "write+fdatasync" : "write";
                fail(new PartitionFencedException(log.name() + ": " + what + " of the batch at offset " + head.baseOffset
                        + " (position " + head.position + " of " + head.segment.logPath.getFileName()
                        + ") failed; the partition is fenced and nothing is retried: " + unwrap(err), unwrap(err)));
                failBatch(head, failure);
                continue;
            }
            long end = head.baseOffset + head.records;
            head.segment.maxTimestamp(head.maxTimestamp);
            head.segment.readableBytes(head.position + head.length);
            ackedEnd = end;
            if (durable) {
                durableEnd = end;
            }
            log.publishEnd(end);
            PendingAppend[] as = head.appends;
            long offset = head.baseOffset;
            for (int i = 0; i < head.count; i++) {
                PendingAppend a = as[i];
                as[i] = null;
                a.ack(offset);
                offset += a.count;
            }
            free.addLast(head);
        }
        releaseSlots();
        IoFuture<Void> s = intervalSync;
        if (s != null && s.isDone()) {
            intervalSync = null;
            any = true;
            try {
                s.join();
                durableEnd = Math.max(durableEnd, intervalSyncEnd);
            } catch (RuntimeException e) {
                fail(new PartitionFencedException(log.name() + ": the interval fdatasync of " + active.logPath.getFileName()
                        + " failed; the partition is fenced and nothing is retried: " + unwrap(e), unwrap(e)));
            }
        }
        return any;
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private void failBatch(WriteBatch b, Throwable error) {
        for (int i = 0; i < b.count; i++) {
            b.appends[i].fail(error);
            b.appends[i] = null;
        }
        b.count = 0;
        b.records = 0;
        if (b.done || b.length == 0) {
            free.addLast(b);
        }
    }

    private boolean maybeIntervalSync() {
        if (settings.durability() != Durability.INTERVAL || intervalSync != null || durableEnd >= ackedEnd) {
            return false;
        }
        long now = System.nanoTime();
        if (now - lastSyncNanos < settings.syncInterval().toNanos()) {
            return false;
        }
        lastSyncNanos = now;
        intervalSyncEnd = ackedEnd;
        intervalSync = active.file.sync(FsyncKind.DATA);
        intervalSync.whenComplete((v, e) -> wake());
        return true;
    }

    private boolean maybeRetention() throws IOException {
        long now = System.nanoTime();
        if (now < nextRetentionNanos) {
            return false;
        }
        nextRetentionNanos = now + settings.retentionCheckInterval().toNanos();
        return applyRetention(System.currentTimeMillis()) > 0;
    }

    /**
     * Seals the active segment and starts the next: the footer is written and synced with the rest
     * of the segment, the index written and synced, the new segment created and the directory synced.
     * Runs with nothing in flight.
     */
    void roll() throws IOException {
        if (writePosition == 0) {
            return;
        }
        Segment old = active;
        long maxTs = old.maxTimestamp();
        SegmentFooter footer = new SegmentFooter(activeBatches, old.baseOffset, nextOffset - 1, writePosition, maxTs,
                (int) activeChain.getValue());
        try (IoBuffer fb = io.allocate(SegmentFooter.SIZE)) {
            footer.encode(fb.segment(), 0);
            long n = Io.await(old.file.writeThenSync(List.of(fb), writePosition, FsyncKind.DATA));
            if (n != SegmentFooter.SIZE) {
                throw new DiskIoException(OpKind.WRITE_SYNC, old.logPath, Errno.EIO, "short footer write: " + n);
            }
        }
        durableEnd = nextOffset;
        PartitionLoader.writeIndex(io, old.indexPath, old.index);
        long base = nextOffset;
        java.nio.file.Path logPath = SegmentNames.log(log.dir(), base);
        DiskFile f = Io.await(io.open(logPath, OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE_NEW));
        Io.syncDirectory(io, log.dir());
        old.sealed(footer);
        Segment next = new Segment(base, logPath, SegmentNames.index(log.dir(), base), f, new OffsetIndex(), 0, null,
                Long.MIN_VALUE);
        active = next;
        writePosition = 0;
        activeBatches = 0;
        activeChain = new CRC32C();
        activeSinceMillis = -1;
        lastIndexedPosition = 0;
        log.addSegment(next);
        LOG.log(Level.DEBUG, () -> log.name() + ": sealed " + old.logPath.getFileName() + " (" + footer.batchCount()
                + " batches, offsets " + footer.baseOffset() + ".." + footer.lastOffset() + "), started " + logPath.getFileName());
    }

    /**
     * Deletes whole sealed segments past the retention limits, oldest first; returns how many. The
     * log start offset moves to the first segment kept; the files go once no reader holds them.
     */
    int applyRetention(long nowMillis) throws IOException {
        if (settings.retentionAge() == null && settings.retentionBytes() < 0) {
            return 0;
        }
        Segment[] segs = log.segments();
        long total = 0;
        for (Segment s : segs) {
            total += s.fileBytes();
        }
        int drop = 0;
        for (int i = 0; i < segs.length - 1; i++) {
            Segment s = segs[i];
            boolean old = settings.retentionAge() != null
                    && s.maxTimestamp() < nowMillis - settings.retentionAge().toMillis();
            boolean big = settings.retentionBytes() >= 0 && total - s.fileBytes() >= settings.retentionBytes();
            if (!old && !big) {
                break;
            }
            total -= s.fileBytes();
            drop++;
        }
        if (drop == 0) {
            return 0;
        }
        List<Segment> gone = log.dropOldest(drop);
        LOG.log(Level.INFO, () -> log.name() + ": retention deletes " + gone.size() + " segments (offsets " + gone.get(0).baseOffset
                + ".." + (gone.get(gone.size() - 1).nextOffset() - 1) + "); the log now starts at " + log.logStartOffset());
        for (Segment s : gone) {
            s.retire(() -> control(() -> deleteFiles(s)));
        }
        return drop;
    }

    private void deleteFiles(Segment s) {
        try {
            Io.await(s.file.close());
            Files.deleteIfExists(s.logPath);
            Files.deleteIfExists(s.indexPath);
            Io.syncDirectory(io, log.dir());
        } catch (IOException e) {
            LOG.log(Level.WARNING, log.name() + ": deleting " + s.logPath.getFileName() + " failed (it will be retried at the next open): " + e);
        }
    }

    /** Seals the active segment once the batches before the request are on disk (tests and tools). */
    void requestRoll(CompletableFuture<Void> done) {
        rollRequests.add(done);
    }

    private boolean maybeRequestedRoll() {
        if (rollRequests.isEmpty() || !inFlight.isEmpty() || intervalSync != null || (open != null && open.count > 0)
                || carry != null) {
            return false;
        }
        try {
            roll();
            rollRequests.forEach(f -> f.complete(null));
        } catch (IOException e) {
            fail(new PartitionFencedException(log.name() + ": sealing " + active.logPath.getFileName() + " failed: " + e, e));
            rollRequests.forEach(f -> f.completeExceptionally(failure));
        }
        rollRequests.clear();
        return true;
    }

    void requestClose(CompletableFuture<Void> done) {
        closeRequested = true;
        closed = done;
    }

    /** Makes everything acknowledged durable and records the recovery point. */
    private void closeCleanly() {
        try {
            if (durableEnd < ackedEnd || settings.durability() != Durability.DURABLE) {
                Io.await(active.file.sync(FsyncKind.DATA));
                durableEnd = ackedEnd;
            }
            new RecoveryPoint(active.baseOffset, writePosition, nextOffset).write(io, log.dir());
        } catch (IOException | RuntimeException e) {
            fail(new PartitionFencedException(log.name() + ": the final sync at close failed: " + e, e));
        }
    }

    private void finishClose() {
        Throwable f = failure != null ? failure : new LogClosedException(log.name());
        // From here on append() fails what it queues itself; what was queued before is failed below.
        log.markWriterGone();
        for (WriteBatch b : inFlight) {
            for (int i = 0; i < b.count; i++) {
                b.appends[i].fail(f);
            }
        }
        PendingAppend a;
        while ((a = queue.relaxedPoll()) != null) {
            a.fail(f);
        }
        if (carry != null) {
            carry.fail(f);
            carry = null;
        }
        Runnable task;
        while ((task = control.poll()) != null) {
            try {
                task.run(); // retention's pending file deletions, mostly
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, log.name() + ": a task at close failed: " + e);
            }
        }
        rollRequests.forEach(r -> r.completeExceptionally(f));
        rollRequests.clear();
        while (extraSlots > 0) {
            extraSlots--;
            slots.give(); // the store's other partitions go on
        }
        for (WriteBatch b : allBatches) {
            b.buffer.close(); // a buffer still in flight is freed when its operation ends
        }
        log.closeFiles();
        CompletableFuture<Void> c = closed;
        if (c != null) {
            c.complete(null);
        }
        log.writerExited();
    }

    private void fail(Throwable t) {
        if (failure == null) {
            failure = t;
            LOG.log(Level.ERROR, t.getMessage());
            log.fence(t instanceof PartitionFencedException pf ? pf : new PartitionFencedException(t.getMessage(), t));
        }
    }

    /** After a failure: every append not acknowledged fails with it, at once. */
    private void drainAfterFailure() {
        Throwable f = failure;
        if (open != null) {
            failBatch(open, f);
            open = null;
        }
        if (carry != null) {
            carry.fail(f);
            carry = null;
        }
        PendingAppend a;
        while ((a = queue.relaxedPoll()) != null) {
            a.fail(f);
        }
        for (WriteBatch b : inFlight) {
            // Never acknowledged now; the buffer stays in flight until its operation ends.
            for (int i = 0; i < b.count; i++) {
                b.appends[i].fail(f);
                b.appends[i] = null;
            }
            b.count = 0;
            b.records = 0;
        }
        WriteBatch head;
        while ((head = inFlight.peekFirst()) != null && head.done) {
            inFlight.pollFirst();
            free.addLast(head);
        }
        releaseSlots();
        IoFuture<Void> s = intervalSync;
        if (s != null && s.isDone()) {
            intervalSync = null;
        }
        rollRequests.forEach(r -> r.completeExceptionally(f));
        rollRequests.clear();
    }

    // ---- for the partition's view ----

    long durableEnd() {
        return durableEnd;
    }
}
