package dev.logcore.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Damage in sealed segments and indexes: a cut mid-batch, a flipped payload byte, a zeroed tail,
 * a missing or damaged index, a lost segment. Recovery does what docs/LOG.md says, and says so.
 */
class CorruptionTest extends BestEngineTest {
    private static final int VALUE = 50;
    private Path pdir;
    private LogSettings settings;
    private List<Path> logs;
    private int records;

    @BeforeEach
    void setUp() throws Exception {
        pdir = dir.resolve("p");
        settings = LogSettings.builder().segmentBytes(4096).indexIntervalBytes(256).build();
        try (PartitionLog p = PartitionLog.open("p", pdir, io, settings)) {
            Kit.appendOneByOne(p, 0, 150, VALUE);
            records = (int) p.logEndOffset();
        }
        logs = Kit.segmentLogs(pdir);
        assertTrue(logs.size() >= 3, "several sealed segments: " + logs.size());
    }

    private PartitionLog reopen(LogSettings s) throws Exception {
        return PartitionLog.open("p", pdir, io, s);
    }

    private static Path indexOf(Path log) {
        return log.resolveSibling(log.getFileName().toString().replace(".log", ".index"));
    }

    @Test
    void aMissingOrDamagedIndexIsRebuiltFromTheLogAndSaysSo() throws Exception {
        Path ix0 = indexOf(logs.get(0));
        Path ix1 = indexOf(logs.get(1));
        byte[] good0 = Kit.read(ix0);
        assertTrue(good0.length > 16, "the index has entries");
        Files.delete(ix0);
        byte[] bad1 = Kit.read(ix1);
        bad1[bad1.length - 2] ^= 0x7F;
        Kit.write(ix1, bad1);
        Path ix2 = indexOf(logs.get(2));
        Kit.write(ix2, Arrays.copyOf(Kit.read(ix2), 10));
        try (PartitionLog p = reopen(settings)) {
            assertFalse(p.isFenced());
            String report = String.join("\n", p.recoveryReport());
            assertTrue(report.contains(ix0.getFileName() + " is missing; rebuilding"), report);
            assertTrue(report.contains(ix1.getFileName() + " is damaged") && report.contains("CRC32C"), report);
            assertTrue(report.contains(ix2.getFileName() + " is damaged"), report);
            Kit.assertRecordsMatch(Kit.readAll(p), VALUE);
            for (long off = 0; off < records; off += 7) {
                try (FetchResult r = p.fetch(off, 100).join()) {
                    assertEquals(off, r.records().get(0).offset());
                }
            }
        }
        assertArrayEquals(good0, Kit.read(ix0), "the rebuilt index is the one the writer made");
    }

    @Test
    void aSealedSegmentWithoutItsFooterFencesThePartition() throws Exception {
        Path sealed = logs.get(1);
        byte[] b = Kit.read(sealed);
        Kit.write(sealed, Arrays.copyOf(b, b.length - 10)); // a cut inside the footer
        try (PartitionLog p = reopen(settings)) {
            assertTrue(p.isFenced());
            String m = p.fenceReason().orElseThrow().getMessage();
            assertTrue(m.contains(sealed.getFileName().toString()) && m.contains("no intact footer"), m);
        }
        assertEquals(b.length - 10, Files.size(sealed), "nothing truncated");
    }

    @Test
    void aCutMidBatchInASealedSegmentFencesThePartition() throws Exception {
        Path sealed = logs.get(0);
        byte[] b = Kit.read(sealed);
        List<Integer> starts = Kit.batchStarts(b);
        byte[] cut = Arrays.copyOf(b, starts.get(2) + 17);
        Kit.write(sealed, cut);
        try (PartitionLog p = reopen(settings)) {
            assertTrue(p.isFenced(), "a sealed segment cut mid-batch is corruption");
        }
        assertArrayEquals(cut, Kit.read(sealed));
    }

    @Test
    void aFlippedPayloadByteInASealedSegmentIsFoundByTheScrubAndByReads() throws Exception {
        Path sealed = logs.get(1);
        byte[] b = Kit.read(sealed);
        List<Integer> starts = Kit.batchStarts(b);
        int at = starts.get(3) + 48 + 30; // inside the 4th record's value
        b[at] ^= 0x08;
        Kit.write(sealed, b);
        // Opening checks sealed segments' footers and indexes, not every byte, unless asked to.
        try (PartitionLog p = reopen(settings.toBuilder().verifySealedOnOpen(true).build())) {
            assertTrue(p.isFenced());
            String m = p.fenceReason().orElseThrow().getMessage();
            assertTrue(m.contains(sealed.getFileName().toString()) && m.contains("CRC32C mismatch"), m);
        }
        try (PartitionLog p = reopen(settings)) {
            assertFalse(p.isFenced(), "the plain open does not read sealed batches");
            long base = Long.parseLong(sealed.getFileName().toString().substring(0, 20));
            CompletionException e = assertThrows(CompletionException.class, () -> p.fetch(base + 3, 100).join());
            assertTrue(e.getCause() instanceof CorruptLogException, e.toString());
            assertTrue(e.getCause().getMessage().contains("CRC32C"), e.getCause().getMessage());
            assertTrue(p.isFenced(), "a read that finds damaged acknowledged data fences the partition");
            e = assertThrows(CompletionException.class, () -> p.append(Record.of("a", "b")).join());
            assertTrue(e.getCause() instanceof PartitionFencedException);
        }
        assertArrayEquals(b, Kit.read(sealed));
    }

    @Test
    void aLostSegmentFencesThePartition() throws Exception {
        Path middle = logs.get(1);
        Files.delete(middle);
        Files.deleteIfExists(indexOf(middle));
        try (PartitionLog p = reopen(settings)) {
            assertTrue(p.isFenced());
            assertTrue(p.fenceReason().orElseThrow().getMessage().contains("are missing"), p.fenceReason().orElseThrow().getMessage());
        }
    }

    @Test
    void leftoversOfInterruptedOperationsAreCleanedUp() throws Exception {
        Files.write(pdir.resolve("recovery-point.tmp"), new byte[] {1, 2, 3});
        Path orphan = pdir.resolve(SegmentNames.base(999_999) + ".index");
        Files.write(orphan, new byte[16]);
        try (PartitionLog p = reopen(settings)) {
            assertFalse(p.isFenced());
            assertEquals(records, p.logEndOffset());
            String report = String.join("\n", p.recoveryReport());
            assertTrue(report.contains("recovery-point.tmp") && report.contains("whose log is gone"), report);
        }
        assertFalse(Files.exists(orphan));
    }
}
