package dev.logcore.log;

import dev.logcore.log.format.RecordCursor;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * What a fetch read: whole, CRC-checked batches from one segment, starting with the batch that
 * holds the requested offset. The records are read in place from a heap copy; {@link #close()}
 * gives the copy back to a pool for the next fetch, after which cursors of this result throw
 * {@link IllegalStateException} (not closing only leaves the copy to the garbage collector).
 */
public final class FetchResult implements AutoCloseable {
    private final BufferPool pool;
    private byte[] bytes;
    private final int size;
    private final long fromOffset;
    private final long nextOffset;
    private final int records;

    FetchResult(BufferPool pool, byte[] bytes, int size, long fromOffset, long nextOffset, int records) {
        this.pool = pool;
        this.bytes = bytes;
        this.size = size;
        this.fromOffset = fromOffset;
        this.nextOffset = nextOffset;
        this.records = records;
    }

    static FetchResult empty(long offset) {
        return new FetchResult(null, null, 0, offset, offset, 0);
    }

    /** The offset asked for: the first record the cursor yields. */
    public long fromOffset() {
        return fromOffset;
    }

    /** The offset to fetch next: one past the last record here. */
    public long nextOffset() {
        return nextOffset;
    }

    /** The records here at or above {@link #fromOffset()}. */
    public int recordCount() {
        return records;
    }

    public boolean isEmpty() {
        return records == 0;
    }

    /** Bytes of batches read (a batch's records below the offset asked for included). */
    public int sizeInBytes() {
        return size;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return bytes == null && records > 0;
    }

    /** A cursor over the records, reading them in place. */
    public RecordCursor cursor() {
        if (records == 0) {
            return new RecordCursor(MemorySegment.NULL, 0, 0, fromOffset);
        }
        byte[] b = bytes;
        if (b == null) {
            throw new IllegalStateException("the fetch result is closed");
        }
        return new RecordCursor(MemorySegment.ofArray(b), 0, size, fromOffset, () -> bytes == b);
    }

    /** The records as objects (copies; the result may be closed afterwards). */
    public List<FetchedRecord> records() {
        List<FetchedRecord> out = new ArrayList<>(records);
        RecordCursor c = cursor();
        while (c.next()) {
            out.add(new FetchedRecord(c.offset(), c.record()));
        }
        return out;
    }

    /** Gives the copy back for reuse. Closing twice is harmless. */
    @Override
    public void close() {
        byte[] b = bytes;
        bytes = null;
        if (b != null) {
            pool.giveHeap(b);
        }
    }

    @Override
    public String toString() {
        return "FetchResult[" + fromOffset + ".." + nextOffset + ", " + records + " records, " + size + " bytes]";
    }
}
