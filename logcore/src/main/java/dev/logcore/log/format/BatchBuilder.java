package dev.logcore.log.format;

import static dev.logcore.log.format.BatchFormat.HEADER_SIZE;
import static dev.logcore.log.format.BatchFormat.INT;
import static dev.logcore.log.format.BatchFormat.LONG;
import static dev.logcore.log.format.BatchFormat.SHORT;

import dev.logcore.log.Header;
import dev.logcore.log.Record;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Encodes records into one batch in a memory segment (an engine buffer's view). Records are
 * encoded as they are added; {@link #finish} writes the header and the CRC. Not thread-safe: one
 * per writer.
 */
public final class BatchBuilder {
    private final CRC32C crc = new CRC32C();
    private MemorySegment seg;
    private int capacity;
    private int position;
    private int count;
    private long minTimestamp;
    private long maxTimestamp;

    /** Starts an empty batch in {@code segment}, using at most {@code limit} bytes of it. */
    public void reset(MemorySegment segment, int limit) {
        if (limit < HEADER_SIZE + RecordFormat.OVERHEAD || limit > segment.byteSize()) {
            throw new IllegalArgumentException("batch space " + limit + " outside [" + (HEADER_SIZE + RecordFormat.OVERHEAD)
                    + ", " + segment.byteSize() + "]");
        }
        this.seg = segment;
        this.capacity = Math.min(limit, BatchFormat.MAX_BATCH_SIZE);
        this.position = HEADER_SIZE;
        this.count = 0;
        this.minTimestamp = Long.MAX_VALUE;
        this.maxTimestamp = Long.MIN_VALUE;
    }

    /** Records added so far. */
    public int count() {
        return count;
    }

    /** Bytes the batch takes so far, header included. */
    public int size() {
        return position;
    }

    /** Whether a record of {@code encodedSize} bytes (from {@link RecordFormat#sizeOf}) still fits. */
    public boolean fits(int encodedSize) {
        return (long) position + encodedSize <= capacity;
    }

    /**
     * Appends a record whose size {@link RecordFormat#sizeOf} gave as {@code encodedSize}.
     *
     * @throws IllegalStateException if it does not fit (check {@link #fits} first)
     */
    public void add(Record r, int encodedSize) {
        if (!fits(encodedSize)) {
            throw new IllegalStateException("record of " + encodedSize + " bytes does not fit: " + position + "/" + capacity);
        }
        int p = position;
        seg.set(INT, p, encodedSize - 4);
        seg.set(LONG, p + 4, r.timestamp());
        p = putBytes(p + 12, r.key());
        p = putBytes(p, r.value());
        List<Header> headers = r.headers();
        seg.set(INT, p, headers.size());
        p += 4;
        for (int i = 0; i < headers.size(); i++) {
            Header h = headers.get(i);
            byte[] name = h.nameUtf8();
            seg.set(SHORT, p, (short) name.length);
            MemorySegment.copy(name, 0, seg, ValueLayout.JAVA_BYTE, p + 2, name.length);
            p = putBytes(p + 2 + name.length, h.value());
        }
        if (p - position != encodedSize) {
            throw new IllegalStateException("record encoded to " + (p - position) + " bytes, expected " + encodedSize
                    + " (was it changed during the append?)");
        }
        position = p;
        count++;
        long ts = r.timestamp();
        if (ts < minTimestamp) {
            minTimestamp = ts;
        }
        if (ts > maxTimestamp) {
            maxTimestamp = ts;
        }
    }

    private int putBytes(int p, byte[] b) {
        if (b == null) {
            seg.set(INT, p, -1);
            return p + 4;
        }
        seg.set(INT, p, b.length);
        MemorySegment.copy(b, 0, seg, ValueLayout.JAVA_BYTE, p + 4, b.length);
        return p + 4 + b.length;
    }

    /** The largest record timestamp added (Long.MIN_VALUE when empty). */
    public long maxTimestamp() {
        return maxTimestamp;
    }

    /** The smallest record timestamp added. */
    public long minTimestamp() {
        return minTimestamp;
    }

    /**
     * Writes the header and CRC of the batch.
     *
     * @param baseOffset the offset of its first record
     * @param durableOffset every offset below it is durable (synced) now
     * @return the batch's length in bytes
     */
    public int finish(long baseOffset, long durableOffset) {
        if (count == 0) {
            throw new IllegalStateException("an empty batch cannot be written");
        }
        if (baseOffset < 0 || durableOffset < 0 || durableOffset > baseOffset) {
            throw new IllegalArgumentException("need 0 <= durableOffset <= baseOffset: " + durableOffset + ", " + baseOffset);
        }
        seg.set(INT, BatchFormat.LENGTH_OFFSET, position);
        seg.set(SHORT, BatchFormat.MAGIC_OFFSET, BatchFormat.MAGIC);
        seg.set(ValueLayout.JAVA_BYTE, BatchFormat.VERSION_OFFSET, BatchFormat.VERSION);
        seg.set(ValueLayout.JAVA_BYTE, BatchFormat.ATTRIBUTES_OFFSET, (byte) 0);
        seg.set(INT, BatchFormat.RECORD_COUNT_OFFSET, count);
        seg.set(LONG, BatchFormat.BASE_OFFSET_OFFSET, baseOffset);
        seg.set(LONG, BatchFormat.MIN_TIMESTAMP_OFFSET, minTimestamp);
        seg.set(LONG, BatchFormat.MAX_TIMESTAMP_OFFSET, maxTimestamp);
        seg.set(LONG, BatchFormat.DURABLE_OFFSET_OFFSET, durableOffset);
        crc.reset();
        crc.update(seg.asSlice(BatchFormat.CRC_START, position - BatchFormat.CRC_START).asByteBuffer());
        seg.set(INT, BatchFormat.CRC_OFFSET, (int) crc.getValue());
        return position;
    }
}
