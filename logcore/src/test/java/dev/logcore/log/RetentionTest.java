package dev.logcore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Retention by size and age: whole sealed segments only, the start moves, offsets never restart. */
class RetentionTest extends BestEngineTest {
    private static void appendMany(PartitionLog p, long from, int n, long timestamp) {
        List<CompletableFuture<Long>> fs = new ArrayList<>();
        for (long o = from; o < from + n; o++) {
            fs.add(p.append(new Record(null, Kit.valueFor(o, 60), List.of(), timestamp)));
        }
        for (int i = 0; i < n; i++) {
            assertEquals(from + i, fs.get(i).join());
        }
    }

    @Test
    void retentionBySizeDeletesOldestSealedSegmentsAndTheStartMoves() throws Exception {
        LogSettings s = LogSettings.builder().segmentBytes(4096).retentionBytes(16384)
                .retentionCheckInterval(Duration.ofDays(1)).build();
        Path pdir = dir.resolve("p");
        try (PartitionLog p = PartitionLog.open("p", pdir, io, s)) {
            appendMany(p, 0, 2000, System.currentTimeMillis());
            int before = p.segmentCount();
            int deleted = p.applyRetention().join();
            assertTrue(deleted > 0, "retention deleted segments");
            assertEquals(before - deleted, p.segmentCount());
            long start = p.logStartOffset();
            assertTrue(start > 0);
            long total = 0;
            for (Segment seg : p.segments()) {
                total += Files.size(seg.logPath); // deleted segments' files go asynchronously
            }
            assertTrue(total >= 16384 - 4096 - 64, "at least retentionBytes minus a segment kept (Kafka's rule): " + total);
            assertEquals(2000, p.logEndOffset(), "the end does not move");
            CompletionException e = assertThrows(CompletionException.class, () -> p.fetch(0, 1000).join());
            OffsetOutOfRangeException oor = (OffsetOutOfRangeException) e.getCause();
            assertEquals(start, oor.logStartOffset());
            assertTrue(oor.getMessage().contains("[" + start + ", 2000]") && oor.getMessage().contains("retention"), oor.getMessage());
            List<FetchedRecord> rs = Kit.readAll(p);
            assertEquals(start, rs.get(0).offset());
            assertEquals(2000 - start, rs.size());
            assertEquals(2000, p.append(Record.of("a", "b")).join(), "offsets continue, never restart");
            // Files go once no reader holds them; the writer deletes them asynchronously.
            long deadline = System.currentTimeMillis() + 5000;
            while (Files.exists(pdir.resolve(SegmentNames.base(0) + ".log")) && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertFalse(Files.exists(pdir.resolve(SegmentNames.base(0) + ".log")));
            assertFalse(Files.exists(pdir.resolve(SegmentNames.base(0) + ".index")));
        }
        try (PartitionLog p = PartitionLog.open("p", pdir, io, s)) {
            assertTrue(p.logStartOffset() > 0, "the start stays moved after a restart");
            assertEquals(2001, p.logEndOffset());
        }
    }

    @Test
    void retentionByAgeDeletesOnlyOldSealedSegmentsNeverTheActiveOne() throws Exception {
        LogSettings s = LogSettings.builder().segmentBytes(4096).retentionAge(Duration.ofHours(1))
                .retentionCheckInterval(Duration.ofDays(1)).build();
        try (PartitionLog p = PartitionLog.open("p", dir.resolve("p"), io, s)) {
            long old = System.currentTimeMillis() - Duration.ofHours(2).toMillis();
            appendMany(p, 0, 300, old);
            p.roll().join();
            long boundary = p.logEndOffset();
            appendMany(p, boundary, 300, System.currentTimeMillis());
            int segs = p.segmentCount();
            int deleted = p.applyRetention().join();
            assertTrue(deleted > 0);
            assertEquals(boundary, p.logStartOffset(), "every segment of old records went, none of the new ones");
            assertEquals(segs - deleted, p.segmentCount());
            assertEquals(0, p.applyRetention().join(), "nothing more is old");
        }
        // Everything old, even the active segment: the active one stays.
        try (PartitionLog p = PartitionLog.open("q", dir.resolve("q"), io, s)) {
            appendMany(p, 0, 10, 0);
            assertEquals(0, p.applyRetention().join(), "the active segment is never deleted");
            assertEquals(0, p.logStartOffset());
        }
    }

    @Test
    void readersHoldingASegmentKeepItUntilTheyAreDone() throws Exception {
        LogSettings s = LogSettings.builder().segmentBytes(4096).retentionBytes(0).retentionCheckInterval(Duration.ofDays(1)).build();
        Path pdir = dir.resolve("p");
        try (PartitionLog p = PartitionLog.open("p", pdir, io, s)) {
            appendMany(p, 0, 500, System.currentTimeMillis());
            try (FetchResult r = p.fetch(0, 2000).join()) {
                assertTrue(p.applyRetention().join() > 0);
                // The result owns a copy: still readable after its segment was deleted.
                assertEquals(0, r.records().get(0).offset());
            }
            assertEquals(p.segments()[0].baseOffset, p.logStartOffset());
            assertEquals(1, p.segmentCount(), "retentionBytes=0 keeps only the active segment");
        }
    }
}
