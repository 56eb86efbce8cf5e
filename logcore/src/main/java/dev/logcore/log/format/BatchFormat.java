package dev.logcore.log.format;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The layout of a record batch, the unit the log writes, syncs and checksums. Every multi-byte
 * field is big-endian. docs/FORMAT.md describes it byte by byte; the numbers here are that
 * promise, so they never change within a format version.
 *
 * <pre>
 * offset size field
 *  0     4    batchLength     int32: bytes of the whole batch, this field included
 *  4     4    crc             uint32: CRC32C (Castagnoli) of bytes [8, batchLength)
 *  8     2    magic           0x4C43 ("LC")
 * 10     1    version         1
 * 11     1    attributes      0 (reserved)
 * 12     4    recordCount     int32 &gt;= 1
 * 16     8    baseOffset      int64 &gt;= 0: the offset of the first record
 * 24     8    minTimestamp    int64: the smallest record timestamp (ms since the epoch)
 * 32     8    maxTimestamp    int64: the largest record timestamp
 * 40     8    durableOffset   int64: every offset below it was synced before this batch was written
 * 48          records         recordCount records, see {@link RecordFormat}
 * </pre>
 */
public final class BatchFormat {
    private BatchFormat() {
    }

    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    public static final int LENGTH_OFFSET = 0;
    public static final int CRC_OFFSET = 4;
    public static final int MAGIC_OFFSET = 8;
    public static final int VERSION_OFFSET = 10;
    public static final int ATTRIBUTES_OFFSET = 11;
    public static final int RECORD_COUNT_OFFSET = 12;
    public static final int BASE_OFFSET_OFFSET = 16;
    public static final int MIN_TIMESTAMP_OFFSET = 24;
    public static final int MAX_TIMESTAMP_OFFSET = 32;
    public static final int DURABLE_OFFSET_OFFSET = 40;
    /** Bytes before the first record. */
    public static final int HEADER_SIZE = 48;
    /** The first byte the CRC covers. */
    public static final int CRC_START = 8;

    public static final short MAGIC = 0x4C43;
    public static final byte VERSION = 1;

    /**
     * The largest batch the format allows (64 MiB). A length field above it is damage, not a batch;
     * a writer's own limit (a setting) is at most this.
     */
    public static final int MAX_BATCH_SIZE = 64 << 20;
}
