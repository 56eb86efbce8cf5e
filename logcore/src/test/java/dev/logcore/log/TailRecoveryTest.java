package dev.logcore.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The unsealed tail after a crash: the last batch cut or garbled at every byte, zeroed tails and
 * damaged indexes are repaired (and reported); damage in synced data fences the partition and
 * changes nothing.
 */
class TailRecoveryTest extends BestEngineTest {
    private static final int RECORDS = 12;
    private static final int VALUE = 40;

    private Path pdir;
    private byte[] pristine;
    private List<Integer> starts;
    private Path log;

    @BeforeEach
    void setUp() throws Exception {
        pdir = dir.resolve("p");
        try (PartitionLog p = PartitionLog.open("p", pdir, io, LogSettings.defaults())) {
            Kit.appendOneByOne(p, 0, RECORDS, VALUE); // one batch each; each records the sync of the ones before
        }
        // As after a crash: the clean-shutdown recovery point is not there.
        Files.delete(pdir.resolve(RecoveryPoint.FILE));
        log = Kit.segmentLogs(pdir).get(0);
        pristine = Kit.read(log);
        starts = Kit.batchStarts(pristine);
        assertEquals(RECORDS, starts.size());
    }

    private PartitionLog reopen() throws Exception {
        return PartitionLog.open("p", pdir, io, LogSettings.defaults());
    }

    private void assertIntactUpTo(PartitionLog p, int records) {
        assertFalse(p.isFenced(), () -> "fenced: " + p.fenceReason().orElseThrow().getMessage());
        assertEquals(records, p.logEndOffset());
        List<FetchedRecord> rs = Kit.readAll(p);
        assertEquals(records, rs.size());
        Kit.assertRecordsMatch(rs, VALUE);
    }

    @Test
    void aCutAtEveryByteOfTheLastBatchIsATornTailThatIsCutAndReported() throws Exception {
        int last = starts.get(RECORDS - 1);
        for (int cut = last; cut < pristine.length; cut++) {
            Kit.write(log, Arrays.copyOf(pristine, cut));
            try (PartitionLog p = reopen()) {
                assertIntactUpTo(p, RECORDS - 1);
                if (cut > last) {
                    final int c = cut;
                    assertTrue(p.recoveryReport().stream().anyMatch(l -> l.contains("cut a torn tail of " + (c - last) + " bytes")),
                            () -> "cut at " + c + ": " + p.recoveryReport());
                }
                assertEquals(RECORDS - 1, p.append(Kit.recordFor(RECORDS - 1, VALUE)).join(), "appends go on at the cut");
            }
            assertEquals(pristine.length, Files.size(log), "the re-appended batch is the same size");
            Files.delete(pdir.resolve(RecoveryPoint.FILE));
        }
    }

    @Test
    void garbageAtEveryByteOfTheLastBatchIsATornTail() throws Exception {
        int last = starts.get(RECORDS - 1);
        for (int at = last; at < pristine.length; at++) {
            byte[] b = pristine.clone();
            b[at] ^= (byte) 0x5A;
            Kit.write(log, b);
            try (PartitionLog p = reopen()) {
                assertIntactUpTo(p, RECORDS - 1);
                assertTrue(p.recoveryReport().stream().anyMatch(l -> l.contains("cut a torn tail of " + (pristine.length - last) + " bytes")),
                        p.recoveryReport().toString());
            }
            assertEquals(last, Files.size(log), "cut exactly at the damaged batch");
        }
    }

    @Test
    void aZeroedTailIsCut() throws Exception {
        // The size grew but the data never landed: zeros after the last batch, and zeros over half of it.
        byte[] b = Arrays.copyOf(pristine, pristine.length + 8192);
        Kit.write(log, b);
        try (PartitionLog p = reopen()) {
            assertIntactUpTo(p, RECORDS);
            assertTrue(p.recoveryReport().stream().anyMatch(l -> l.contains("torn tail of 8192 bytes")), p.recoveryReport().toString());
        }
        Files.delete(pdir.resolve(RecoveryPoint.FILE));
        int last = starts.get(RECORDS - 1);
        b = pristine.clone();
        Arrays.fill(b, last + 20, b.length, (byte) 0);
        Kit.write(log, b);
        try (PartitionLog p = reopen()) {
            assertIntactUpTo(p, RECORDS - 1);
        }
    }

    @Test
    void damageFollowedByABatchThatSawItSyncedIsCorruptionAndNothingIsCut() throws Exception {
        for (int victim = 0; victim < RECORDS - 1; victim++) {
            for (int delta : new int[] {0, 4, 30, 60}) {
                byte[] b = pristine.clone();
                int at = Math.min(starts.get(victim) + delta, starts.get(victim + 1) - 1);
                b[at] ^= 0x01;
                Kit.write(log, b);
                try (PartitionLog p = reopen()) {
                    assertTrue(p.isFenced(), "damage in batch " + victim + " at byte " + at + " is corruption");
                    String msg = p.fenceReason().orElseThrow().getMessage();
                    assertTrue(msg.contains("damage in synced data") && msg.contains("nothing was truncated"), msg);
                    assertTrue(msg.contains("offset " + victim), msg);
                    var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CompletionException.class,
                            () -> p.append(Record.of("x", "y")).join());
                    assertTrue(e.getCause() instanceof PartitionFencedException);
                    e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CompletionException.class,
                            () -> p.fetch(0, 100).join());
                    assertTrue(e.getCause() instanceof PartitionFencedException);
                }
                assertArrayEquals(b, Kit.read(log), "a fenced partition's files are untouched");
            }
        }
    }

    @Test
    void damageBelowTheRecoveryPointIsCorruption() throws Exception {
        try (PartitionLog p = reopen()) {
            assertIntactUpTo(p, RECORDS); // a clean close writes the recovery point
        }
        assertTrue(Files.exists(pdir.resolve(RecoveryPoint.FILE)));
        byte[] b = pristine.clone();
        b[b.length - 3] ^= 0x40; // the last batch: no later batch vouches for it, the recovery point does
        Kit.write(log, b);
        try (PartitionLog p = reopen()) {
            assertTrue(p.isFenced());
            assertTrue(p.fenceReason().orElseThrow().getMessage().contains("recovery point"), p.fenceReason().orElseThrow().getMessage());
        }
        assertArrayEquals(b, Kit.read(log));
        // Synced bytes missing altogether (the file shorter than the recovery point) is corruption too.
        Kit.write(log, Arrays.copyOf(pristine, starts.get(RECORDS - 1)));
        try (PartitionLog p = reopen()) {
            assertTrue(p.isFenced());
            assertTrue(p.fenceReason().orElseThrow().getMessage().contains("were synced"), p.fenceReason().orElseThrow().getMessage());
        }
    }
}
