package dev.logcore.log.format;

import static dev.logcore.log.format.BatchFormat.HEADER_SIZE;
import static dev.logcore.log.format.BatchFormat.INT;
import static dev.logcore.log.format.BatchFormat.LONG;
import static dev.logcore.log.format.BatchFormat.SHORT;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.zip.CRC32C;

/**
 * Checks that bytes hold one whole, intact batch: every field in bounds, the CRC right, the records
 * inside well formed. Reusable and allocation-free on the good path (the recovery scan calls it
 * once per batch); not thread-safe.
 *
 * <p>{@link #check} answers {@link #OK}, {@link #INCOMPLETE} (the bytes end before the batch does:
 * read more, or, at the end of the file, a short batch) or {@link #BAD}; {@link #problem()} says
 * what was wrong in words, and the accessors give the fields of the last batch that was OK.
 */
public final class BatchValidator {
    public static final int OK = 0;
    public static final int INCOMPLETE = 1;
    public static final int BAD = 2;

    private final CRC32C crc = new CRC32C();
    private String problem;
    private int length;
    private int recordCount;
    private long baseOffset;
    private long minTimestamp;
    private long maxTimestamp;
    private long durableOffset;
    private int storedCrc;

    /**
     * Checks the batch at {@code pos} of {@code seg}, of which {@code available} bytes are present.
     *
     * @param expectedBaseOffset the offset the batch must start at, or -1 for any
     */
    public int check(MemorySegment seg, long pos, long available, long expectedBaseOffset) {
        return check(seg, pos, available, expectedBaseOffset, true);
    }

    /**
     * As {@link #check(MemorySegment, long, long, long)}; with {@code walkRecords} false the records
     * inside are not walked (the CRC still covers them). Fetches use that: the bytes are the ones
     * the writer encoded, and the reader's cursor stays inside the batch's memory anyway; recovery
     * and the verify tool walk every record.
     */
    public int check(MemorySegment seg, long pos, long available, long expectedBaseOffset, boolean walkRecords) {
        problem = null;
        if (available < 4) {
            return incomplete("only " + available + " bytes where a batch header of " + HEADER_SIZE + " bytes starts");
        }
        int len = seg.get(INT, pos);
        if (len < HEADER_SIZE + RecordFormat.OVERHEAD || len > BatchFormat.MAX_BATCH_SIZE) {
            return bad("batch length " + len + " outside [" + (HEADER_SIZE + RecordFormat.OVERHEAD) + ", "
                    + BatchFormat.MAX_BATCH_SIZE + "]");
        }
        if (available < HEADER_SIZE) {
            return incomplete("only " + available + " bytes where a batch header of " + HEADER_SIZE + " bytes starts");
        }
        short magic = seg.get(SHORT, pos + BatchFormat.MAGIC_OFFSET);
        if (magic != BatchFormat.MAGIC) {
            return bad(String.format("magic 0x%04X, expected 0x%04X", magic & 0xFFFF, BatchFormat.MAGIC));
        }
        byte version = seg.get(ValueLayout.JAVA_BYTE, pos + BatchFormat.VERSION_OFFSET);
        if (version != BatchFormat.VERSION) {
            return bad("format version " + version + ", this code reads version " + BatchFormat.VERSION);
        }
        if (available < len) {
            return incomplete("batch length " + len + " but only " + available + " bytes follow");
        }
        int stored = seg.get(INT, pos + BatchFormat.CRC_OFFSET);
        crc.reset();
        crc.update(seg.asSlice(pos + BatchFormat.CRC_START, len - BatchFormat.CRC_START).asByteBuffer());
        int actual = (int) crc.getValue();
        if (actual != stored) {
            return bad(String.format("CRC32C mismatch: stored 0x%08X, computed 0x%08X", stored, actual));
        }
        byte attributes = seg.get(ValueLayout.JAVA_BYTE, pos + BatchFormat.ATTRIBUTES_OFFSET);
        if (attributes != 0) {
            return bad("attributes " + attributes + " set; version 1 defines none");
        }
        int count = seg.get(INT, pos + BatchFormat.RECORD_COUNT_OFFSET);
        long base = seg.get(LONG, pos + BatchFormat.BASE_OFFSET_OFFSET);
        long minTs = seg.get(LONG, pos + BatchFormat.MIN_TIMESTAMP_OFFSET);
        long maxTs = seg.get(LONG, pos + BatchFormat.MAX_TIMESTAMP_OFFSET);
        long durable = seg.get(LONG, pos + BatchFormat.DURABLE_OFFSET_OFFSET);
        if (count < 1 || count > (len - HEADER_SIZE) / RecordFormat.OVERHEAD) {
            return bad("record count " + count + " impossible for a batch of " + len + " bytes");
        }
        if (base < 0 || base > Long.MAX_VALUE - count) {
            return bad("base offset " + base + " out of range");
        }
        if (expectedBaseOffset >= 0 && base != expectedBaseOffset) {
            return bad("base offset " + base + " where offset " + expectedBaseOffset + " comes next");
        }
        if (durable < 0 || durable > base) {
            return bad("durable offset " + durable + " outside [0, base offset " + base + "]");
        }
        if (minTs > maxTs) {
            return bad("min timestamp " + minTs + " after max timestamp " + maxTs);
        }
        String recordProblem = walkRecords ? checkRecords(seg, pos, len, count, minTs, maxTs) : null;
        if (recordProblem != null) {
            return bad(recordProblem);
        }
        this.length = len;
        this.recordCount = count;
        this.baseOffset = base;
        this.minTimestamp = minTs;
        this.maxTimestamp = maxTs;
        this.durableOffset = durable;
        this.storedCrc = stored;
        return OK;
    }

    /** Walks the records: every length inside the batch, the count right, nothing left over. */
    private static String checkRecords(MemorySegment seg, long pos, int len, int count, long minTs, long maxTs) {
        long p = pos + HEADER_SIZE;
        long end = pos + len;
        for (int i = 0; i < count; i++) {
            if (end - p < RecordFormat.OVERHEAD) {
                return "record " + i + " of " + count + " starts " + (end - p) + " bytes before the batch's end";
            }
            int rl = seg.get(INT, p);
            long recEnd = p + 4 + (long) rl;
            if (rl < RecordFormat.OVERHEAD - 4 || recEnd > end) {
                return "record " + i + " length " + rl + " does not fit the batch";
            }
            long ts = seg.get(LONG, p + 4);
            if (ts < minTs || ts > maxTs) {
                return "record " + i + " timestamp " + ts + " outside the batch's [" + minTs + ", " + maxTs + "]";
            }
            long q = p + 12;
            long k = field(seg, q, recEnd);
            if (k < 0) {
                return "record " + i + " key length out of bounds";
            }
            q = k;
            long v = field(seg, q, recEnd);
            if (v < 0) {
                return "record " + i + " value length out of bounds";
            }
            q = v;
            if (recEnd - q < 4) {
                return "record " + i + " has no room for its header count";
            }
            int hc = seg.get(INT, q);
            q += 4;
            if (hc < 0 || hc > (recEnd - q) / 6) {
                return "record " + i + " header count " + hc + " out of bounds";
            }
            for (int h = 0; h < hc; h++) {
                if (recEnd - q < 2) {
                    return "record " + i + " header " + h + " name length out of bounds";
                }
                int nl = seg.get(SHORT, q) & 0xFFFF;
                q += 2 + nl;
                if (q > recEnd) {
                    return "record " + i + " header " + h + " name out of bounds";
                }
                long hv = field(seg, q, recEnd);
                if (hv < 0) {
                    return "record " + i + " header " + h + " value out of bounds";
                }
                q = hv;
            }
            if (q != recEnd) {
                return "record " + i + " fields end at " + (q - p) + " of its " + (rl + 4) + " bytes";
            }
            p = recEnd;
        }
        if (p != end) {
            return (end - p) + " bytes after the last of " + count + " records";
        }
        return null;
    }

    /** Skips a length-prefixed byte field (-1 = null); the position after it, or -1 if out of bounds. */
    static long field(MemorySegment seg, long q, long end) {
        if (end - q < 4) {
            return -1;
        }
        int n = seg.get(INT, q);
        if (n < -1 || n > end - q - 4) {
            return -1;
        }
        return q + 4 + Math.max(n, 0);
    }

    private int bad(String why) {
        problem = why;
        return BAD;
    }

    private int incomplete(String why) {
        problem = why;
        return INCOMPLETE;
    }

    /** What was wrong with the last batch that was not OK. */
    public String problem() {
        return problem;
    }

    public int length() {
        return length;
    }

    public int recordCount() {
        return recordCount;
    }

    public long baseOffset() {
        return baseOffset;
    }

    /** The offset after the batch's last record. */
    public long nextOffset() {
        return baseOffset + recordCount;
    }

    public long minTimestamp() {
        return minTimestamp;
    }

    public long maxTimestamp() {
        return maxTimestamp;
    }

    public long durableOffset() {
        return durableOffset;
    }

    public int crc() {
        return storedCrc;
    }
}
