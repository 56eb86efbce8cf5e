package dev.logcore.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Segment rolling by size and age, sealing, and files named by base offset. */
class SegmentsTest extends BestEngineTest {
    @Test
    void segmentsRollBySizeAreNamedByBaseOffsetAndSealed() throws Exception {
        LogSettings s = LogSettings.builder().segmentBytes(8192).indexIntervalBytes(1024).build();
        Path pdir = dir.resolve("p");
        try (PartitionLog p = PartitionLog.open("p", pdir, io, s)) {
            List<CompletableFuture<Long>> fs = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                fs.add(p.append(Kit.recordFor(i, 40)));
            }
            for (int i = 0; i < fs.size(); i++) {
                assertEquals(i, fs.get(i).join());
            }
            assertTrue(p.segmentCount() > 5, "3000 records of ~80 bytes fill many 8 KiB segments: " + p.segmentCount());
            Kit.assertRecordsMatch(Kit.readAll(p), 40);
        }
        List<Path> logs = Kit.segmentLogs(pdir);
        long expectedBase = 0;
        for (int i = 0; i < logs.size(); i++) {
            Path log = logs.get(i);
            String name = log.getFileName().toString();
            assertTrue(name.matches("\\d{20}\\.log"), name);
            assertEquals(expectedBase, Long.parseLong(name.substring(0, 20)), "named by its base offset");
            byte[] b = Kit.read(log);
            assertTrue(b.length <= 8192 + 64, "a segment stays within its size (plus the footer): " + b.length);
            if (i < logs.size() - 1) {
                assertTrue(Files.exists(pdir.resolve(name.replace(".log", ".index"))), "a sealed segment has an index");
                java.nio.ByteBuffer f = java.nio.ByteBuffer.wrap(b);
                int at = b.length - 64;
                assertEquals(-1, f.getInt(at), "a sealed segment ends with a footer");
                expectedBase = f.getLong(at + 24) + 1;
                assertEquals(b.length - 64, f.getLong(at + 32));
            }
        }
        try (PartitionLog p = PartitionLog.open("p", pdir, io, s)) {
            assertEquals(3000, p.logEndOffset());
            assertEquals(logs.size(), p.segmentCount());
            Kit.assertRecordsMatch(Kit.readAll(p), 40);
        }
    }

    @Test
    void sealedSegmentsAreNeverWrittenAgain() throws Exception {
        LogSettings s = LogSettings.builder().segmentBytes(4096).build();
        Path pdir = dir.resolve("p");
        try (PartitionLog p = PartitionLog.open("p", pdir, io, s)) {
            Kit.appendOneByOne(p, 0, 200, 50);
            List<Path> before = Kit.segmentLogs(pdir);
            List<byte[]> sealed = new ArrayList<>();
            for (int i = 0; i < before.size() - 1; i++) {
                sealed.add(Kit.read(before.get(i)));
            }
            Kit.appendOneByOne(p, 200, 200, 50);
            p.roll().join();
            for (int i = 0; i < sealed.size(); i++) {
                assertArrayEquals(sealed.get(i), Kit.read(before.get(i)), before.get(i) + " changed after it was sealed");
            }
        }
        // A crash after sealing and before the next segment was created leaves a sealed newest segment.
        List<Path> logs = Kit.segmentLogs(pdir);
        Path newest = logs.get(logs.size() - 1);
        assertEquals(0, Files.size(newest), "the roll started an empty segment");
        Files.delete(newest);
        Files.deleteIfExists(pdir.resolve(RecoveryPoint.FILE));
        try (PartitionLog p = PartitionLog.open("p", pdir, io, s)) {
            assertEquals(400, p.logEndOffset());
            assertTrue(p.recoveryReport().stream().anyMatch(l -> l.contains("was sealed; wrote its index")), p.recoveryReport().toString());
            assertEquals(400, p.append(Kit.recordFor(400, 50)).join());
            Kit.assertRecordsMatch(Kit.readAll(p), 50);
        }
    }

    @Test
    void segmentsRollByAge() throws Exception {
        LogSettings s = LogSettings.builder().segmentAge(Duration.ofMillis(300)).build();
        try (PartitionLog p = PartitionLog.open("p", dir.resolve("p"), io, s)) {
            long now = System.currentTimeMillis();
            p.append(new Record(null, new byte[10], List.of(), now)).join();
            p.append(new Record(null, new byte[10], List.of(), now)).join();
            assertEquals(1, p.segmentCount());
            Thread.sleep(400);
            p.append(new Record(null, new byte[10], List.of(), System.currentTimeMillis())).join();
            assertEquals(2, p.segmentCount(), "the first append after the age rolled the segment");
            assertEquals(2, p.logStartOffset() + p.segments()[1].baseOffset);
        }
    }

    @Test
    void aRecordTooLargeForABatchIsRefusedClearly() throws Exception {
        LogSettings s = LogSettings.builder().segmentBytes(4096).build();
        try (PartitionLog p = PartitionLog.open("p", dir.resolve("p"), io, s)) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CompletionException.class,
                    () -> p.append(new Record(null, new byte[5000], List.of(), 0)).join());
            assertTrue(e.getCause() instanceof RecordTooLargeException, e.toString());
            assertTrue(e.getCause().getMessage().contains("4048"), e.getCause().getMessage());
            assertEquals(0, p.append(new Record(null, new byte[4000], List.of(), 0)).join(), "the largest record that fits goes");
        }
    }
}
