package dev.logcore.log.format;

import static dev.logcore.log.format.BatchFormat.INT;
import static dev.logcore.log.format.BatchFormat.LONG;
import static dev.logcore.log.format.BatchFormat.SHORT;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.zip.CRC32C;

/**
 * The footer that ends a sealed segment's {@code .log}, so a sealed segment can be scrubbed on its
 * own: it says where the batches end, which offsets they hold, and carries a CRC32C over the CRCs
 * of all its batches in order (a missing, repeated or reordered batch changes it).
 *
 * <pre>
 * offset size field
 *  0     4    tag            int32 -1 (0xFFFFFFFF): no batch has a negative length
 *  4     4    crc            CRC32C of bytes [8, 64)
 *  8     2    magic          0x4C46 ("LF")
 * 10     1    version        1
 * 11     1    reserved       0
 * 12     4    batchCount     int32 &gt;= 1
 * 16     8    baseOffset     int64: the segment's first offset (its file name)
 * 24     8    lastOffset     int64: its last offset
 * 32     8    logBytes       int64: bytes of batches before the footer (where the footer starts)
 * 40     8    maxTimestamp   int64: the largest record timestamp in the segment
 * 48     4    batchCrcChain  CRC32C over the 4-byte big-endian CRCs of every batch, in order
 * 52    12    reserved       zeros
 * </pre>
 *
 * @param batchCount the number of batches
 * @param baseOffset the first offset
 * @param lastOffset the last offset
 * @param logBytes bytes of batches
 * @param maxTimestamp the largest timestamp
 * @param batchCrcChain the chained CRC of the batch CRCs
 */
public record SegmentFooter(int batchCount, long baseOffset, long lastOffset, long logBytes, long maxTimestamp, int batchCrcChain) {
    public static final int SIZE = 64;
    public static final int TAG = -1;
    public static final short MAGIC = 0x4C46;
    public static final byte VERSION = 1;

    /** Writes the footer into {@code seg} at {@code pos}. */
    public void encode(MemorySegment seg, long pos) {
        seg.asSlice(pos, SIZE).fill((byte) 0);
        seg.set(INT, pos, TAG);
        seg.set(SHORT, pos + 8, MAGIC);
        seg.set(ValueLayout.JAVA_BYTE, pos + 10, VERSION);
        seg.set(INT, pos + 12, batchCount);
        seg.set(LONG, pos + 16, baseOffset);
        seg.set(LONG, pos + 24, lastOffset);
        seg.set(LONG, pos + 32, logBytes);
        seg.set(LONG, pos + 40, maxTimestamp);
        seg.set(INT, pos + 48, batchCrcChain);
        seg.set(INT, pos + 4, crcOf(seg, pos));
    }

    private static int crcOf(MemorySegment seg, long pos) {
        CRC32C c = new CRC32C();
        c.update(seg.asSlice(pos + 8, SIZE - 8).asByteBuffer());
        return (int) c.getValue();
    }

    /** Whether the 4 bytes at {@code pos} are a footer's tag (then the rest must be checked). */
    public static boolean looksLikeFooter(MemorySegment seg, long pos) {
        return seg.get(INT, pos) == TAG;
    }

    /**
     * Reads the footer at {@code pos}.
     *
     * @throws IllegalArgumentException with what is wrong if the bytes are not an intact footer
     */
    public static SegmentFooter decode(MemorySegment seg, long pos) {
        if (seg.byteSize() - pos < SIZE) {
            throw new IllegalArgumentException("a footer needs " + SIZE + " bytes, " + (seg.byteSize() - pos) + " are there");
        }
        if (seg.get(INT, pos) != TAG) {
            throw new IllegalArgumentException(String.format("footer tag 0x%08X, expected 0xFFFFFFFF", seg.get(INT, pos)));
        }
        int stored = seg.get(INT, pos + 4);
        int actual = crcOf(seg, pos);
        if (stored != actual) {
            throw new IllegalArgumentException(String.format("footer CRC32C mismatch: stored 0x%08X, computed 0x%08X", stored, actual));
        }
        if (seg.get(SHORT, pos + 8) != MAGIC || seg.get(ValueLayout.JAVA_BYTE, pos + 10) != VERSION
                || seg.get(ValueLayout.JAVA_BYTE, pos + 11) != 0) {
            throw new IllegalArgumentException("footer magic or version unknown");
        }
        SegmentFooter f = new SegmentFooter(seg.get(INT, pos + 12), seg.get(LONG, pos + 16), seg.get(LONG, pos + 24),
                seg.get(LONG, pos + 32), seg.get(LONG, pos + 40), seg.get(INT, pos + 48));
        if (f.batchCount < 1 || f.baseOffset < 0 || f.lastOffset < f.baseOffset || f.logBytes < BatchFormat.HEADER_SIZE
                || f.lastOffset - f.baseOffset + 1 < f.batchCount) {
            throw new IllegalArgumentException("footer fields inconsistent: " + f);
        }
        return f;
    }

    /** The offset after the segment's last. */
    public long nextOffset() {
        return lastOffset + 1;
    }

    /** Extends a batch CRC chain with one more batch's CRC. */
    public static int chain(CRC32C chain, int batchCrc) {
        chain.update(batchCrc >>> 24);
        chain.update(batchCrc >>> 16);
        chain.update(batchCrc >>> 8);
        chain.update(batchCrc);
        return (int) chain.getValue();
    }
}
