package dev.logcore.log.format;

import static dev.logcore.log.format.BatchFormat.INT;
import static dev.logcore.log.format.BatchFormat.SHORT;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.zip.CRC32C;

/**
 * The layout of a sealed segment's {@code .index}: a 16-byte header and sparse entries, each the
 * offset of a batch (relative to the segment's base) and that batch's position in the {@code .log}.
 * The index only speeds lookups up: it is checked on load and rebuilt from the log when anything is
 * wrong with it, and the active segment's index is rebuilt from its log at every open.
 *
 * <pre>
 * offset size field
 *  0     2    magic          0x4C49 ("LI")
 *  2     1    version        1
 *  3     1    reserved       0
 *  4     4    entryCount     int32 &gt;= 0
 *  8     4    crc            CRC32C of bytes [0, 8) and [12, 16 + 8n): all but itself
 * 12     4    reserved       0
 * 16     8n   entries        each: int32 relativeOffset, int32 position; both strictly increasing
 * </pre>
 */
public final class IndexFormat {
    private IndexFormat() {
    }

    public static final int HEADER_SIZE = 16;
    public static final int ENTRY_SIZE = 8;
    public static final short MAGIC = 0x4C49;
    public static final byte VERSION = 1;

    /** The bytes an index of {@code n} entries takes. */
    public static int fileSize(int n) {
        return HEADER_SIZE + n * ENTRY_SIZE;
    }

    /** Writes an index of the given entries into {@code seg} from 0. */
    public static void encode(MemorySegment seg, int[] relativeOffsets, int[] positions, int n) {
        seg.asSlice(0, HEADER_SIZE).fill((byte) 0);
        seg.set(SHORT, 0, MAGIC);
        seg.set(ValueLayout.JAVA_BYTE, 2, VERSION);
        seg.set(INT, 4, n);
        for (int i = 0; i < n; i++) {
            seg.set(INT, HEADER_SIZE + (long) i * ENTRY_SIZE, relativeOffsets[i]);
            seg.set(INT, HEADER_SIZE + (long) i * ENTRY_SIZE + 4, positions[i]);
        }
        seg.set(INT, 8, crc(seg, n));
    }

    private static int crc(MemorySegment seg, int n) {
        CRC32C c = new CRC32C();
        c.update(seg.asSlice(0, 8).asByteBuffer());
        c.update(seg.asSlice(12, 4 + (long) n * ENTRY_SIZE).asByteBuffer());
        return (int) c.getValue();
    }

    /** The decoded entries. */
    public record Entries(int[] relativeOffsets, int[] positions) {
        public int size() {
            return positions.length;
        }
    }

    /**
     * Reads and checks an index of {@code fileSize} bytes.
     *
     * @param logBytes the size of the segment's batches: every position must be below it
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Entries decode(MemorySegment seg, long fileSize, long logBytes) {
        if (fileSize < HEADER_SIZE) {
            throw new IllegalArgumentException("index of " + fileSize + " bytes is shorter than its header");
        }
        if (seg.get(SHORT, 0) != MAGIC || seg.get(ValueLayout.JAVA_BYTE, 2) != VERSION || seg.get(ValueLayout.JAVA_BYTE, 3) != 0
                || seg.get(INT, 12) != 0) {
            throw new IllegalArgumentException("index magic, version or reserved bytes wrong");
        }
        int n = seg.get(INT, 4);
        if (n < 0 || fileSize != fileSize(n)) {
            throw new IllegalArgumentException("index says " + n + " entries but has " + fileSize + " bytes");
        }
        if (seg.get(INT, 8) != crc(seg, n)) {
            throw new IllegalArgumentException("index CRC32C mismatch");
        }
        int[] rel = new int[n];
        int[] pos = new int[n];
        for (int i = 0; i < n; i++) {
            rel[i] = seg.get(INT, HEADER_SIZE + (long) i * ENTRY_SIZE);
            pos[i] = seg.get(INT, HEADER_SIZE + (long) i * ENTRY_SIZE + 4);
            boolean increasing = i == 0 ? rel[i] >= 0 && pos[i] >= 0 : rel[i] > rel[i - 1] && pos[i] > pos[i - 1];
            if (!increasing || pos[i] >= logBytes) {
                throw new IllegalArgumentException("index entry " + i + " (" + rel[i] + " -> " + pos[i] + ") out of order or past the log");
            }
        }
        return new Entries(rel, pos);
    }
}
