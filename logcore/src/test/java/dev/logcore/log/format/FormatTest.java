package dev.logcore.log.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.log.Header;
import dev.logcore.log.Record;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The batch, record, footer and index formats: round trips, the CRC, and every field's bounds. */
class FormatTest {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final Arena arena = Arena.ofAuto();

    private List<Record> sampleRecords() {
        List<Record> rs = new ArrayList<>();
        rs.add(new Record("key".getBytes(), "value".getBytes(), List.of(), 1000));
        rs.add(new Record(null, "no key".getBytes(), List.of(Header.of("h1", "v1"), new Header("nullvalue", null)), 1001));
        rs.add(new Record("k".getBytes(), null, List.of(), 999));
        rs.add(new Record(new byte[0], new byte[0], List.of(new Header("ünïcode", new byte[] {1, 2, 3})), 1002));
        return rs;
    }

    private MemorySegment encode(List<Record> rs, long base, long durable) {
        MemorySegment seg = arena.allocate(1 << 16);
        BatchBuilder b = new BatchBuilder();
        b.reset(seg, (int) seg.byteSize());
        for (Record r : rs) {
            int size = RecordFormat.sizeOf(r);
            assertTrue(b.fits(size));
            b.add(r, size);
        }
        int len = b.finish(base, durable);
        return seg.asSlice(0, len);
    }

    @Test
    void batchRoundTripsEveryFieldAndRecord() {
        List<Record> rs = sampleRecords();
        MemorySegment seg = encode(rs, 42, 40);
        BatchValidator v = new BatchValidator();
        assertEquals(BatchValidator.OK, v.check(seg, 0, seg.byteSize(), 42), v.problem());
        assertEquals(seg.byteSize(), v.length());
        assertEquals(4, v.recordCount());
        assertEquals(42, v.baseOffset());
        assertEquals(46, v.nextOffset());
        assertEquals(999, v.minTimestamp());
        assertEquals(1002, v.maxTimestamp());
        assertEquals(40, v.durableOffset());
        // Header bytes as FORMAT.md lays them out.
        assertEquals((int) seg.byteSize(), seg.get(INT, 0));
        assertEquals((short) 0x4C43, seg.get(SHORT, 8));
        assertEquals(1, seg.get(ValueLayout.JAVA_BYTE, 10));
        assertEquals(0, seg.get(ValueLayout.JAVA_BYTE, 11));
        assertEquals(4, seg.get(INT, 12));
        assertEquals(42L, seg.get(LONG, 16));
        CRC32C c = new CRC32C();
        c.update(seg.asSlice(8).asByteBuffer());
        assertEquals((int) c.getValue(), seg.get(INT, 4));

        RecordCursor cur = new RecordCursor(seg, 0, seg.byteSize(), 0);
        for (int i = 0; i < rs.size(); i++) {
            assertTrue(cur.next());
            assertEquals(42 + i, cur.offset());
            assertEquals(rs.get(i), cur.record());
        }
        assertFalse(cur.next());
        RecordCursor from = new RecordCursor(seg, 0, seg.byteSize(), 44);
        assertTrue(from.next());
        assertEquals(44, from.offset());
        assertNull(from.value());
        assertEquals(-1, from.valueLength());
    }

    @Test
    void recordSizeMatchesTheEncoding() {
        for (Record r : sampleRecords()) {
            MemorySegment seg = encode(List.of(r), 0, 0);
            assertEquals(BatchFormat.HEADER_SIZE + RecordFormat.sizeOf(r), seg.byteSize());
        }
        assertEquals(RecordFormat.OVERHEAD + 100, RecordFormat.sizeOf(new Record(null, new byte[100], List.of(), 0)));
    }

    @Test
    void everySingleBitFlipIsCaught() {
        MemorySegment good = encode(sampleRecords(), 7, 7);
        MemorySegment copy = arena.allocate(good.byteSize());
        BatchValidator v = new BatchValidator();
        for (long i = 0; i < good.byteSize(); i++) {
            for (int bit = 0; bit < 8; bit++) {
                copy.copyFrom(good);
                copy.set(ValueLayout.JAVA_BYTE, i, (byte) (copy.get(ValueLayout.JAVA_BYTE, i) ^ (1 << bit)));
                int r = v.check(copy, 0, copy.byteSize(), 7);
                assertTrue(r != BatchValidator.OK, "a flip of bit " + bit + " of byte " + i + " went unnoticed");
            }
        }
    }

    @Test
    void aShortBatchIsIncompleteNotBad() {
        MemorySegment good = encode(sampleRecords(), 0, 0);
        BatchValidator v = new BatchValidator();
        for (long n = 0; n < good.byteSize(); n++) {
            int r = v.check(good, 0, n, 0);
            assertEquals(BatchValidator.INCOMPLETE, r, "a batch cut to " + n + " bytes: " + v.problem());
        }
    }

    /** Changes a field, re-computes the CRC (so the field check itself is what fails), expects BAD. */
    private void assertRejected(String what, Consumer<MemorySegment> change, String expectInProblem) {
        MemorySegment seg = arena.allocate(1 << 16);
        MemorySegment good = encode(sampleRecords(), 100, 90);
        seg = seg.asSlice(0, good.byteSize());
        seg.copyFrom(good);
        change.accept(seg);
        CRC32C c = new CRC32C();
        c.update(seg.asSlice(8).asByteBuffer());
        seg.set(INT, 4, (int) c.getValue());
        BatchValidator v = new BatchValidator();
        int r = v.check(seg, 0, seg.byteSize(), 100);
        assertEquals(BatchValidator.BAD, r, what + " was accepted");
        assertTrue(v.problem().contains(expectInProblem), what + ": " + v.problem());
    }

    @Test
    void everyFieldOutOfBoundsIsRejected() {
        int recordStart = BatchFormat.HEADER_SIZE;
        assertRejected("magic", s -> s.set(SHORT, 8, (short) 0x1234), "magic");
        assertRejected("version", s -> s.set(ValueLayout.JAVA_BYTE, 10, (byte) 2), "version");
        assertRejected("attributes", s -> s.set(ValueLayout.JAVA_BYTE, 11, (byte) 1), "attributes");
        assertRejected("zero records", s -> s.set(INT, 12, 0), "record count");
        assertRejected("negative records", s -> s.set(INT, 12, -1), "record count");
        assertRejected("too many records", s -> s.set(INT, 12, 1000), "record count");
        assertRejected("one record too few", s -> s.set(INT, 12, 3), "after the last");
        assertRejected("one record too many", s -> s.set(INT, 12, 5), "record 4");
        assertRejected("negative base offset", s -> s.set(LONG, 16, -5L), "base offset");
        assertRejected("unexpected base offset", s -> s.set(LONG, 16, 101L), "comes next");
        assertRejected("durable above base", s -> s.set(LONG, 40, 101L), "durable offset");
        assertRejected("negative durable", s -> s.set(LONG, 40, -1L), "durable offset");
        assertRejected("min after max", s -> s.set(LONG, 24, 5000L), "timestamp");
        assertRejected("record timestamp outside", s -> s.set(LONG, recordStart + 4, 5L), "timestamp");
        assertRejected("record length past the batch", s -> s.set(INT, recordStart, 1 << 20), "length");
        assertRejected("record length too small", s -> s.set(INT, recordStart, 3), "length");
        assertRejected("key length below -1", s -> s.set(INT, recordStart + 12, -2), "key");
        assertRejected("key length past the record", s -> s.set(INT, recordStart + 12, 9999), "key");
        assertRejected("negative header count", s -> s.set(INT, recordStart + 12 + 4 + 3 + 4 + 5, -1), "header count");
        assertRejected("header count too large", s -> s.set(INT, recordStart + 12 + 4 + 3 + 4 + 5, 100), "header count");
        BatchValidator v = new BatchValidator();
        MemorySegment good = encode(sampleRecords(), 0, 0);
        MemorySegment s = arena.allocate(good.byteSize());
        s.copyFrom(good);
        s.set(INT, 0, 10);
        assertEquals(BatchValidator.BAD, v.check(s, 0, s.byteSize(), 0), "a length below the header");
        s.set(INT, 0, BatchFormat.MAX_BATCH_SIZE + 1);
        assertEquals(BatchValidator.BAD, v.check(s, 0, s.byteSize(), 0), "a length above the maximum");
        s.set(INT, 0, -1);
        assertEquals(BatchValidator.BAD, v.check(s, 0, s.byteSize(), 0), "a negative length");
        s.copyFrom(good);
        s.set(INT, 4, s.get(INT, 4) ^ 1);
        assertEquals(BatchValidator.BAD, v.check(s, 0, s.byteSize(), 0));
        assertTrue(v.problem().contains("CRC32C"), v.problem());
        assertEquals(BatchValidator.OK, v.check(good, 0, good.byteSize(), -1), "-1 accepts any base offset");
    }

    @Test
    void builderRefusesWhatDoesNotFitAndEmptyOrInconsistentBatches() {
        MemorySegment seg = arena.allocate(200);
        BatchBuilder b = new BatchBuilder();
        b.reset(seg, 200);
        Record big = new Record(null, new byte[200], List.of(), 1);
        assertFalse(b.fits(RecordFormat.sizeOf(big)));
        assertThrows(IllegalStateException.class, () -> b.add(big, RecordFormat.sizeOf(big)));
        assertThrows(IllegalStateException.class, () -> b.finish(0, 0));
        Record small = new Record(null, new byte[10], List.of(), 1);
        b.add(small, RecordFormat.sizeOf(small));
        assertThrows(IllegalArgumentException.class, () -> b.finish(5, 6));
        assertThrows(IllegalArgumentException.class, () -> b.finish(-1, 0));
        Record changed = new Record(null, new byte[10], List.of(), 1);
        assertThrows(IllegalStateException.class, () -> b.add(changed, RecordFormat.sizeOf(changed) + 1));
        assertEquals(1, b.count(), "a refused record leaves the batch as it was");
        assertThrows(IllegalArgumentException.class, () -> b.reset(seg, 10));
    }

    @Test
    void footerRoundTripsAndRejectsDamage() {
        MemorySegment seg = arena.allocate(SegmentFooter.SIZE);
        SegmentFooter f = new SegmentFooter(3, 100, 199, 4096, 12345, 0xCAFEBABE);
        f.encode(seg, 0);
        assertEquals(f, SegmentFooter.decode(seg, 0));
        assertEquals(200, f.nextOffset());
        assertEquals(-1, seg.get(INT, 0));
        for (int i = 0; i < SegmentFooter.SIZE; i++) {
            MemorySegment c = arena.allocate(SegmentFooter.SIZE);
            c.copyFrom(seg);
            c.set(ValueLayout.JAVA_BYTE, i, (byte) (c.get(ValueLayout.JAVA_BYTE, i) ^ 0x10));
            assertThrows(IllegalArgumentException.class, () -> SegmentFooter.decode(c, 0), "byte " + i);
        }
        MemorySegment bad = arena.allocate(SegmentFooter.SIZE);
        new SegmentFooter(3, 100, 99, 4096, 0, 0).encode(bad, 0);
        assertThrows(IllegalArgumentException.class, () -> SegmentFooter.decode(bad, 0), "last offset below base");
        assertThrows(IllegalArgumentException.class, () -> SegmentFooter.decode(arena.allocate(10), 0), "too short");
    }

    @Test
    void indexRoundTripsAndRejectsDamage() {
        int[] rel = {10, 20, 35};
        int[] pos = {4096, 8200, 12300};
        MemorySegment seg = arena.allocate(IndexFormat.fileSize(3));
        IndexFormat.encode(seg, rel, pos, 3);
        IndexFormat.Entries e = IndexFormat.decode(seg, seg.byteSize(), 20000);
        assertArrayEquals(rel, e.relativeOffsets());
        assertArrayEquals(pos, e.positions());
        assertThrows(IllegalArgumentException.class, () -> IndexFormat.decode(seg, seg.byteSize(), 10000), "position past the log");
        assertThrows(IllegalArgumentException.class, () -> IndexFormat.decode(seg, seg.byteSize() - 8, 20000), "truncated");
        for (int i = 0; i < seg.byteSize(); i++) {
            MemorySegment c = arena.allocate(seg.byteSize());
            c.copyFrom(seg);
            c.set(ValueLayout.JAVA_BYTE, i, (byte) (c.get(ValueLayout.JAVA_BYTE, i) ^ 0x01));
            final long size = c.byteSize();
            assertThrows(IllegalArgumentException.class, () -> IndexFormat.decode(c, size, 20000), "byte " + i);
        }
        int[] unordered = {10, 5};
        MemorySegment u = arena.allocate(IndexFormat.fileSize(2));
        IndexFormat.encode(u, unordered, new int[] {100, 200}, 2);
        assertThrows(IllegalArgumentException.class, () -> IndexFormat.decode(u, u.byteSize(), 20000));
        MemorySegment empty = arena.allocate(IndexFormat.fileSize(0));
        IndexFormat.encode(empty, new int[0], new int[0], 0);
        assertEquals(0, IndexFormat.decode(empty, empty.byteSize(), 0).size());
    }

    @Test
    void randomRecordsRoundTrip() {
        Random rnd = new Random(7);
        for (int round = 0; round < 200; round++) {
            List<Record> rs = new ArrayList<>();
            int n = 1 + rnd.nextInt(20);
            for (int i = 0; i < n; i++) {
                byte[] k = rnd.nextInt(4) == 0 ? null : new byte[rnd.nextInt(30)];
                byte[] val = rnd.nextInt(5) == 0 ? null : new byte[rnd.nextInt(300)];
                if (k != null) {
                    rnd.nextBytes(k);
                }
                if (val != null) {
                    rnd.nextBytes(val);
                }
                List<Header> hs = new ArrayList<>();
                for (int h = rnd.nextInt(3); h > 0; h--) {
                    hs.add(new Header("h" + rnd.nextInt(100), rnd.nextBoolean() ? null : new byte[rnd.nextInt(10)]));
                }
                rs.add(new Record(k, val, hs, rnd.nextLong() >>> 20));
            }
            long base = rnd.nextLong() >>> 2;
            MemorySegment seg = encode(rs, base, base - rnd.nextInt(5) < 0 ? 0 : base - rnd.nextInt(5));
            BatchValidator v = new BatchValidator();
            assertEquals(BatchValidator.OK, v.check(seg, 0, seg.byteSize(), base), v.problem());
            RecordCursor c = new RecordCursor(seg, 0, seg.byteSize(), base);
            for (Record r : rs) {
                assertTrue(c.next());
                assertEquals(r, c.record());
            }
            assertFalse(c.next());
        }
    }
}
