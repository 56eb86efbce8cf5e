package dev.logcore.log.format;

import static dev.logcore.log.format.BatchFormat.INT;
import static dev.logcore.log.format.BatchFormat.LONG;
import static dev.logcore.log.format.BatchFormat.SHORT;

import dev.logcore.log.Header;
import dev.logcore.log.Record;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks the records of consecutive batches that were validated already, without copying: the
 * accessors read the current record in place. Records below {@code fromOffset} are skipped.
 *
 * <pre>{@code
 * RecordCursor c = new RecordCursor(segment, 0, length, fromOffset);
 * while (c.next()) { use(c.offset(), c.valueLength()); }
 * }</pre>
 */
public final class RecordCursor {
    private final MemorySegment seg;
    private final long end;
    private final long fromOffset;
    private long batchPos;
    private long batchEnd;
    private long nextInBatch;
    private int leftInBatch;
    private long offset = -1;
    private long recPos;
    private long keyPos;
    private int keyLen;
    private long valuePos;
    private int valueLen;
    private long headersPos;
    private final java.util.function.BooleanSupplier valid;

    /**
     * @param seg the memory holding the batches
     * @param start where the first batch starts
     * @param end where the last batch ends
     * @param fromOffset records below this offset are skipped
     */
    public RecordCursor(MemorySegment seg, long start, long end, long fromOffset) {
        this(seg, start, end, fromOffset, () -> true);
    }

    /**
     * As above; {@code valid} is asked before each move and must say whether the memory still holds
     * these batches (a pooled copy that was given back does not).
     */
    public RecordCursor(MemorySegment seg, long start, long end, long fromOffset, java.util.function.BooleanSupplier valid) {
        this.valid = valid;
        this.seg = seg;
        this.batchPos = start;
        this.batchEnd = start;
        this.end = end;
        this.fromOffset = fromOffset;
    }

    /** Moves to the next record; {@code false} when there is none. */
    public boolean next() {
        if (!valid.getAsBoolean()) {
            throw new IllegalStateException("the records under this cursor are gone: its fetch result was closed");
        }
        while (true) {
            if (leftInBatch == 0) {
                batchPos = batchEnd;
                if (batchPos >= end) {
                    return false;
                }
                int len = seg.get(INT, batchPos);
                batchEnd = batchPos + len;
                leftInBatch = seg.get(INT, batchPos + BatchFormat.RECORD_COUNT_OFFSET);
                offset = seg.get(LONG, batchPos + BatchFormat.BASE_OFFSET_OFFSET) - 1;
                nextInBatch = batchPos + BatchFormat.HEADER_SIZE;
            }
            recPos = nextInBatch;
            nextInBatch = recPos + 4 + seg.get(INT, recPos);
            leftInBatch--;
            offset++;
            if (offset >= fromOffset) {
                break;
            }
        }
        keyPos = recPos + 12;
        keyLen = seg.get(INT, keyPos);
        valuePos = keyPos + 4 + Math.max(keyLen, 0);
        valueLen = seg.get(INT, valuePos);
        headersPos = valuePos + 4 + Math.max(valueLen, 0);
        return true;
    }

    public long offset() {
        return offset;
    }

    public long timestamp() {
        return seg.get(LONG, recPos + 4);
    }

    /** The key's length, -1 for none. */
    public int keyLength() {
        return keyLen;
    }

    /** The value's length, -1 for none. */
    public int valueLength() {
        return valueLen;
    }

    /** The value in place (empty for none); valid while the memory is. */
    public MemorySegment valueSegment() {
        return seg.asSlice(valuePos + 4, Math.max(valueLen, 0));
    }

    /** The key in place (empty for none). */
    public MemorySegment keySegment() {
        return seg.asSlice(keyPos + 4, Math.max(keyLen, 0));
    }

    public byte[] key() {
        return bytes(keyPos + 4, keyLen);
    }

    public byte[] value() {
        return bytes(valuePos + 4, valueLen);
    }

    public List<Header> headers() {
        int n = seg.get(INT, headersPos);
        if (n == 0) {
            return List.of();
        }
        List<Header> out = new ArrayList<>(n);
        long q = headersPos + 4;
        for (int i = 0; i < n; i++) {
            int nl = seg.get(SHORT, q) & 0xFFFF;
            byte[] name = new byte[nl];
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, q + 2, name, 0, nl);
            q += 2 + nl;
            int vl = seg.get(INT, q);
            byte[] v = bytes(q + 4, vl);
            q += 4 + Math.max(vl, 0);
            out.add(new Header(new String(name, StandardCharsets.UTF_8), v));
        }
        return out;
    }

    /** The current record as an object (copies). */
    public Record record() {
        return new Record(key(), value(), headers(), timestamp());
    }

    private byte[] bytes(long at, int len) {
        if (len < 0) {
            return null;
        }
        byte[] b = new byte[len];
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, at, b, 0, len);
        return b;
    }
}
