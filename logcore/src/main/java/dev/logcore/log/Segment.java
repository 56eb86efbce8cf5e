package dev.logcore.log;

import dev.logcore.io.DiskFile;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.IoFuture;
import dev.logcore.log.format.SegmentFooter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One segment of a partition: a {@code .log} of batches and its sparse index. The newest segment
 * of a partition is active (the writer appends to it); every other one is sealed: it ends with a
 * footer and is never written again, which this class enforces by having no write path at all
 * (the writer holds the file handle of the active one).
 *
 * <p>Readers hold a reference while they read ({@link #acquire}/{@link #release}); retention drops
 * the partition's reference, and the files are closed and deleted when the last reader lets go.
 */
final class Segment {
    final long baseOffset;
    final Path logPath;
    final Path indexPath;
    final DiskFile file;
    final OffsetIndex index;
    /** Bytes readers may read: the batches acknowledged so far (active) or all of them (sealed). */
    private volatile long readableBytes;
    private volatile SegmentFooter footer;
    /** Largest record timestamp in the segment, for retention by age. */
    private volatile long maxTimestamp;
    private final AtomicInteger refs = new AtomicInteger(1);
    private volatile Runnable onFree;

    Segment(long baseOffset, Path logPath, Path indexPath, DiskFile file, OffsetIndex index, long readableBytes,
            SegmentFooter footer, long maxTimestamp) {
        this.baseOffset = baseOffset;
        this.logPath = logPath;
        this.indexPath = indexPath;
        this.file = file;
        this.index = index;
        this.readableBytes = readableBytes;
        this.footer = footer;
        this.maxTimestamp = maxTimestamp;
    }

    long readableBytes() {
        return readableBytes;
    }

    /** Writer only: more bytes were acknowledged. */
    void readableBytes(long n) {
        readableBytes = n;
    }

    boolean isSealed() {
        return footer != null;
    }

    SegmentFooter footer() {
        return footer;
    }

    /** Writer only: the segment is sealed now; nothing writes to it again. */
    void sealed(SegmentFooter f) {
        this.footer = f;
        this.readableBytes = f.logBytes();
    }

    long maxTimestamp() {
        return maxTimestamp;
    }

    void maxTimestamp(long ts) {
        if (ts > maxTimestamp) {
            maxTimestamp = ts;
        }
    }

    /** The offset after the segment's last (sealed segments only). */
    long nextOffset() {
        return footer.nextOffset();
    }

    /** Size of the .log file: batches plus the footer once sealed. */
    long fileBytes() {
        SegmentFooter f = footer;
        return f != null ? f.logBytes() + SegmentFooter.SIZE : readableBytes;
    }

    /** Takes a reference for a read; {@code false} if the segment was deleted meanwhile. */
    boolean acquire() {
        while (true) {
            int r = refs.get();
            if (r <= 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    void release() {
        if (refs.decrementAndGet() == 0) {
            Runnable r = onFree;
            if (r != null) {
                r.run();
            }
        }
    }

    /** Drops the partition's own reference; {@code whenFree} runs once no reader holds it. */
    void retire(Runnable whenFree) {
        this.onFree = whenFree;
        release();
    }

    IoFuture<Integer> read(IoBuffer dst, long position) {
        return file.read(dst, position);
    }

    @Override
    public String toString() {
        return logPath.getFileName() + (isSealed() ? " (sealed)" : " (active)");
    }
}
