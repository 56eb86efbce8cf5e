package dev.logcore.log.format;

import dev.logcore.log.Header;
import dev.logcore.log.Record;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Encodes records into one batch in a heap array. Records are encoded as they are added;
 * {@link #finish} writes the header and the CRC. Not thread-safe: one per writer.
 *
 * <p>Why a heap array: this is the log's per-record hot path. Plain array stores through
 * big-endian array views cost a few nanoseconds a field; the same stores through a
 * {@link MemorySegment} pay bounds, alignment and liveness checks on every field (measured as a
 * visible share of the writer's time at millions of records per second). The writer copies the
 * finished batch into its engine buffer in one bulk copy. {@link #reset(MemorySegment, int)} keeps
 * a segment as the target for callers that have one: the batch is copied there at {@link #finish}.
 */
public final class BatchBuilder {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    private final CRC32C crc = new CRC32C();
    private byte[] buf;
    private MemorySegment target;
    private int capacity;
    private int position;
    private int count;
    private long minTimestamp;
    private long maxTimestamp;
    // What mark() saved: rewind() undoes the records added since.
    private int markPosition;
    private int markCount;
    private long markMin;
    private long markMax;

    /** Starts an empty batch in {@code array}, using at most {@code limit} bytes of it. */
    public void reset(byte[] array, int limit) {
        checkLimit(limit, array.length);
        this.buf = array;
        this.target = null;
        start(limit);
    }

    /**
     * Starts an empty batch that {@link #finish} copies into {@code segment}, using at most
     * {@code limit} bytes of it.
     */
    public void reset(MemorySegment segment, int limit) {
        checkLimit(limit, segment.byteSize());
        if (buf == null || buf.length < limit) {
            buf = new byte[limit];
        }
        this.target = segment;
        start(limit);
    }

    private static void checkLimit(int limit, long size) {
        if (limit < HEADER_SIZE + RecordFormat.OVERHEAD || limit > size) {
            throw new IllegalArgumentException("batch space " + limit + " outside [" + (HEADER_SIZE + RecordFormat.OVERHEAD)
                    + ", " + size + "]");
        }
    }

    private static final int HEADER_SIZE = BatchFormat.HEADER_SIZE;

    private void start(int limit) {
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

    /** Remembers the batch as it is now; {@link #rewind} goes back to it. */
    public void mark() {
        markPosition = position;
        markCount = count;
        markMin = minTimestamp;
        markMax = maxTimestamp;
    }

    /** Drops the records added since the last {@link #mark}. */
    public void rewind() {
        position = markPosition;
        count = markCount;
        minTimestamp = markMin;
        maxTimestamp = markMax;
    }

    /**
     * Appends a record whose size {@link RecordFormat#sizeOf} gave as {@code encodedSize}.
     *
     * @throws IllegalStateException if it does not fit (check {@link #fits} first), or if it does
     *     not encode to {@code encodedSize} bytes (its arrays changed); the batch is then as it was
     */
    public void add(Record r, int encodedSize) {
        if (!fits(encodedSize)) {
            throw new IllegalStateException("record of " + encodedSize + " bytes does not fit: " + position + "/" + capacity);
        }
        byte[] b = buf;
        int end = position + encodedSize;
        long ts = r.timestamp();
        INT.set(b, position, encodedSize - 4);
        LONG.set(b, position + 4, ts);
        int p = putBytes(b, position + 12, r.key(), end);
        p = putBytes(b, p, r.value(), end);
        List<Header> headers = r.headers();
        int n = headers.size();
        p = checkRoom(p, 4, end);
        INT.set(b, p, n);
        p += 4;
        for (int i = 0; i < n; i++) {
            Header h = headers.get(i);
            byte[] name = h.nameUtf8();
            p = checkRoom(p, 2 + name.length, end);
            SHORT.set(b, p, (short) name.length);
            System.arraycopy(name, 0, b, p + 2, name.length);
            p = putBytes(b, p + 2 + name.length, h.value(), end);
        }
        if (p != end) {
            throw changed(p - position, encodedSize);
        }
        position = p;
        count++;
        if (ts < minTimestamp) {
            minTimestamp = ts;
        }
        if (ts > maxTimestamp) {
            maxTimestamp = ts;
        }
    }

    /** Encoding never writes past the record's announced end (its arrays may have grown meanwhile). */
    private int checkRoom(int p, int n, int end) {
        if ((long) p + n > end) {
            throw changed((long) p + n - position, end - position);
        }
        return p;
    }

    private IllegalStateException changed(long encoded, int expected) {
        return new IllegalStateException("record encoded to " + (encoded > expected ? "more than " + expected : encoded)
                + " bytes, expected " + expected + " (was it changed during the append?)");
    }

    private int putBytes(byte[] b, int p, byte[] v, int end) {
        if (v == null) {
            checkRoom(p, 4, end);
            INT.set(b, p, -1);
            return p + 4;
        }
        checkRoom(p, 4 + v.length, end);
        INT.set(b, p, v.length);
        System.arraycopy(v, 0, b, p + 4, v.length);
        return p + 4 + v.length;
    }

    /** The largest record timestamp added (Long.MIN_VALUE when empty). */
    public long maxTimestamp() {
        return maxTimestamp;
    }

    /** The smallest record timestamp added. */
    public long minTimestamp() {
        return minTimestamp;
    }

    /** The batch's CRC field, valid after {@link #finish}. */
    public int crc() {
        return (int) INT.get(buf, BatchFormat.CRC_OFFSET);
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
        byte[] b = buf;
        INT.set(b, BatchFormat.LENGTH_OFFSET, position);
        SHORT.set(b, BatchFormat.MAGIC_OFFSET, BatchFormat.MAGIC);
        b[BatchFormat.VERSION_OFFSET] = BatchFormat.VERSION;
        b[BatchFormat.ATTRIBUTES_OFFSET] = 0;
        INT.set(b, BatchFormat.RECORD_COUNT_OFFSET, count);
        LONG.set(b, BatchFormat.BASE_OFFSET_OFFSET, baseOffset);
        LONG.set(b, BatchFormat.MIN_TIMESTAMP_OFFSET, minTimestamp);
        LONG.set(b, BatchFormat.MAX_TIMESTAMP_OFFSET, maxTimestamp);
        LONG.set(b, BatchFormat.DURABLE_OFFSET_OFFSET, durableOffset);
        crc.reset();
        crc.update(b, BatchFormat.CRC_START, position - BatchFormat.CRC_START);
        INT.set(b, BatchFormat.CRC_OFFSET, (int) crc.getValue());
        if (target != null) {
            MemorySegment.copy(b, 0, target, ValueLayout.JAVA_BYTE, 0, position);
        }
        return position;
    }
}
