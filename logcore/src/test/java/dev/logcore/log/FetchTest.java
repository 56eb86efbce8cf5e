package dev.logcore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.log.format.RecordCursor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Fetches: ranges, byte limits, offsets inside batches, across segments, during appends. */
class FetchTest extends BestEngineTest {
    @Test
    void outOfRangeOffsetsFailWithTheValidRangeAndTheEndIsEmpty() throws Exception {
        try (PartitionLog p = PartitionLog.open("p", dir.resolve("p"), io, LogSettings.defaults())) {
            // An empty log: offset 0 is the end, which is not out of range; 1 is.
            CompletionException e = assertThrows(CompletionException.class, () -> p.fetch(1, 100).join().close());
            assertTrue(e.getCause().getMessage().contains("[0, 0]"), e.getCause().getMessage());
            try (FetchResult r = p.fetch(0, 100).join()) {
                assertTrue(r.isEmpty());
                assertEquals(0, r.nextOffset());
            }
            Kit.appendOneByOne(p, 0, 10, 20);
            e = assertThrows(CompletionException.class, () -> p.fetch(11, 100).join());
            assertTrue(e.getCause() instanceof OffsetOutOfRangeException);
            assertTrue(e.getCause().getMessage().contains("[0, 10]"), e.getCause().getMessage());
            assertThrows(IllegalArgumentException.class, () -> p.fetch(0, 0));
            try (FetchResult r = p.fetch(10, 100).join()) {
                assertTrue(r.isEmpty());
                assertEquals(10, r.nextOffset());
            }
        }
    }

    @Test
    void fetchStartsInsideABatchAndRespectsTheByteLimit() throws Exception {
        LogSettings s = LogSettings.builder().segmentBytes(1 << 20).indexIntervalBytes(512).build();
        try (PartitionLog p = PartitionLog.open("p", dir.resolve("p"), io, s)) {
            List<CompletableFuture<Long>> fs = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                fs.add(p.append(Kit.recordFor(i, 30)));
                if (i % 100 == 99) {
                    fs.get(i).join(); // batches of at most 100 records
                }
            }
            fs.forEach(CompletableFuture::join);
            for (long off : new long[] {0, 1, 17, 999, 2500, 4998, 4999}) {
                try (FetchResult r = p.fetch(off, 300).join()) {
                    assertFalse(r.isEmpty());
                    RecordCursor c = r.cursor();
                    assertTrue(c.next());
                    assertEquals(off, c.offset(), "the first record is the one asked for");
                    assertTrue(r.nextOffset() > off);
                    List<FetchedRecord> rs = r.records();
                    assertEquals(r.nextOffset() - off, rs.size());
                    Kit.assertRecordsMatch(rs, 30);
                }
            }
            FetchResult closed = p.fetch(0, 1000).join();
            RecordCursor stale = closed.cursor();
            closed.close();
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, stale::next,
                    "a cursor of a closed result must not read memory reused by another fetch");
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, closed::cursor);
            try (FetchResult big = p.fetch(0, 1 << 20).join(); FetchResult small = p.fetch(0, 1).join()) {
                assertTrue(small.recordCount() >= 1, "the first batch comes even when larger than the limit");
                assertTrue(big.recordCount() > small.recordCount(), big + " vs " + small);
            }
        }
    }

    @Test
    void aSequentialReadCrossesSegmentsAndSeesEveryRecordOnce() throws Exception {
        LogSettings s = LogSettings.builder().segmentBytes(4096).indexIntervalBytes(256).build();
        try (PartitionLog p = PartitionLog.open("p", dir.resolve("p"), io, s)) {
            List<CompletableFuture<Long>> fs = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                fs.add(p.append(Kit.recordFor(i, 25)));
            }
            fs.forEach(CompletableFuture::join);
            assertTrue(p.segmentCount() > 10);
            for (int maxBytes : new int[] {1, 100, 1000, 5000, 1 << 20}) {
                List<FetchedRecord> all = new ArrayList<>();
                long off = 0;
                while (off < 3000) {
                    try (FetchResult r = p.fetch(off, maxBytes).join()) {
                        all.addAll(r.records());
                        off = r.nextOffset();
                    }
                }
                assertEquals(3000, all.size());
                for (int i = 0; i < all.size(); i++) {
                    assertEquals(i, all.get(i).offset());
                }
                Kit.assertRecordsMatch(all, 25);
            }
        }
    }

    @Test
    void readersDuringAppendsSeeAConsistentPrefixAndNeverATornBatch() throws Exception {
        LogSettings s = LogSettings.builder().segmentBytes(64 << 10).maxInFlightBatches(3).build();
        try (PartitionLog p = PartitionLog.open("p", dir.resolve("p"), io, s)) {
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> readerError = new AtomicReference<>();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Thread r = new Thread(() -> {
                    try {
                        long off = 0;
                        long fetches = 0;
                        while (!done.get() || off < p.logEndOffset()) {
                            long endBefore = p.logEndOffset();
                            try (FetchResult fr = p.fetch(off, 4096).join()) {
                                fetches++;
                                List<FetchedRecord> rs = fr.records();
                                for (FetchedRecord x : rs) {
                                    assertEquals(off++, x.offset(), "dense and in order");
                                }
                                Kit.assertRecordsMatch(rs, 40);
                                assertTrue(fr.nextOffset() <= Math.max(endBefore, p.logEndOffset()),
                                        "never past what was acknowledged");
                            }
                        }
                        assertTrue(fetches > 0);
                    } catch (Throwable e) {
                        readerError.compareAndSet(null, e);
                    }
                });
                r.start();
                readers.add(r);
            }
            List<CompletableFuture<Long>> fs = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                fs.add(p.append(Kit.recordFor(i, 40)));
                if (i % 500 == 0) {
                    fs.get(i).join();
                }
            }
            fs.forEach(CompletableFuture::join);
            done.set(true);
            for (Thread r : readers) {
                r.join(60_000);
            }
            if (readerError.get() != null) {
                throw new AssertionError("a reader saw something wrong", readerError.get());
            }
            assertTrue(p.segmentCount() > 5, "the readers crossed segment rolls");
        }
    }
}
