package dev.logcore.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** {@link PartitionLog#appendAll}: groups get consecutive offsets, go into one batch, fail whole. */
class AppendAllTest extends BestEngineTest {

    private static Record rec(String v) {
        return new Record(null, v.getBytes(StandardCharsets.UTF_8), List.of(), 1_000);
    }

    private static List<Record> group(String prefix, int n) {
        List<Record> rs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rs.add(rec(prefix + i));
        }
        return rs;
    }

    private static List<String> values(PartitionLog p) {
        List<String> out = new ArrayList<>();
        long off = p.logStartOffset();
        while (off < p.logEndOffset()) {
            try (FetchResult r = p.fetch(off, 1 << 20).join()) {
                for (FetchedRecord fr : r.records()) {
                    assertEquals(off++, fr.offset());
                    out.add(new String(fr.record().value(), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    @Test
    void groupsGetConsecutiveOffsetsBetweenSingleAppendsAndSurviveAReopen() throws Exception {
        List<String> expected = new ArrayList<>();
        try (PartitionLog p = PartitionLog.open("p", dir.resolve("p"), io, LogSettings.defaults())) {
            CompletableFuture<Long> a = p.append(rec("single-0"));
            CompletableFuture<Long> g1 = p.appendAll(group("g1-", 100));
            CompletableFuture<Long> b = p.append(rec("single-1"));
            CompletableFuture<Long> g2 = p.appendAll(group("g2-", 3));
            assertEquals(0, a.join());
            assertEquals(1, g1.join(), "a group's future gives its first record's offset");
            assertEquals(101, b.join());
            assertEquals(102, g2.join());
            assertEquals(105, p.logEndOffset());
            expected.add("single-0");
            group("g1-", 100).forEach(r -> expected.add(new String(r.value(), StandardCharsets.UTF_8)));
            expected.add("single-1");
            group("g2-", 3).forEach(r -> expected.add(new String(r.value(), StandardCharsets.UTF_8)));
            assertEquals(expected, values(p));
        }
        try (PartitionLog p = PartitionLog.open("p", dir.resolve("p"), io, LogSettings.defaults())) {
            assertEquals(expected, values(p));
        }
    }

    @Test
    void aGroupIsOneBatchSoFillsItExactlyOrIsRefusedWhole() throws Exception {
        LogSettings s = LogSettings.builder().maxBatchRecords(50).maxBatchBytes(4096).build();
        try (PartitionLog p = PartitionLog.open("p", dir.resolve("p"), io, s)) {
            assertEquals(0, p.appendAll(group("a", 50)).join(), "exactly maxBatchRecords fits");
            CompletionException e = assertThrows(CompletionException.class, () -> p.appendAll(group("b", 51)).join());
            assertInstanceOf(RecordTooLargeException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("maxBatchRecords"), e.getCause().getMessage());
            List<Record> big = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                big.add(new Record(null, new byte[400], List.of(), 1));
            }
            e = assertThrows(CompletionException.class, () -> p.appendAll(big).join());
            assertInstanceOf(RecordTooLargeException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains(Integer.toString(p.maxGroupBytes())), e.getCause().getMessage());
            assertEquals(50, p.logEndOffset(), "a refused group leaves nothing behind");
            assertEquals(50, p.appendAll(group("c", 2)).join());
            // One batch per group: the segment holds exactly the two batches.
            byte[] log = java.nio.file.Files.readAllBytes(SegmentNames.log(dir.resolve("p"), 0));
            int first = java.nio.ByteBuffer.wrap(log).getInt(0);
            int second = java.nio.ByteBuffer.wrap(log).getInt(first);
            assertEquals(log.length, first + second);
            assertEquals(50, java.nio.ByteBuffer.wrap(log).getInt(12));
            assertEquals(2, java.nio.ByteBuffer.wrap(log).getInt(first + 12));
        }
    }

    @Test
    void badGroupsAreRefusedAtTheCall() throws Exception {
        try (PartitionLog p = PartitionLog.open("p", dir.resolve("p"), io, LogSettings.defaults())) {
            assertThrows(IllegalArgumentException.class, () -> p.appendAll(List.of()));
            assertThrows(NullPointerException.class, () -> p.appendAll(Arrays.asList(rec("x"), null)));
            assertThrows(NullPointerException.class, () -> p.appendAll(null));
            assertEquals(0, p.logEndOffset());
        }
    }

    @Test
    void concurrentGroupsAndSinglesStayContiguousAndInOrderPerProducer() throws Exception {
        int producers = 4;
        int rounds = 200;
        try (PartitionLog p = PartitionLog.open("p", dir.resolve("p"), io, LogSettings.defaults())) {
            List<Thread> ts = new ArrayList<>();
            List<List<long[]>> sent = new ArrayList<>(); // per producer: {offset, size} of each append
            for (int t = 0; t < producers; t++) {
                int id = t;
                List<long[]> mine = new ArrayList<>();
                sent.add(mine);
                ts.add(Thread.ofPlatform().start(() -> {
                    List<CompletableFuture<Long>> fs = new ArrayList<>();
                    List<Integer> sizes = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        int n = r % 3 == 0 ? 1 : 1 + (r * 7 + id) % 40;
                        String prefix = "p" + id + "-r" + r + "-";
                        fs.add(n == 1 ? p.append(rec(prefix + 0)) : p.appendAll(group(prefix, n)));
                        sizes.add(n);
                    }
                    for (int i = 0; i < fs.size(); i++) {
                        mine.add(new long[] {fs.get(i).join(), sizes.get(i)});
                    }
                }));
            }
            for (Thread t : ts) {
                t.join();
            }
            List<String> vs = values(p);
            for (int t = 0; t < producers; t++) {
                long last = -1;
                for (int r = 0; r < rounds; r++) {
                    long[] os = sent.get(t).get(r);
                    assertTrue(os[0] > last, "a producer's appends keep its order");
                    last = os[0];
                    for (int i = 0; i < os[1]; i++) {
                        assertEquals("p" + t + "-r" + r + "-" + i, vs.get((int) (os[0] + i)), "record " + i + " of a group");
                    }
                }
            }
        }
    }

    @Test
    void aGroupKeepsKeysHeadersAndTimestamps() throws Exception {
        try (PartitionLog p = PartitionLog.open("p", dir.resolve("p"), io, LogSettings.defaults())) {
            byte[] v = {1, 2, 3};
            long base = p.appendAll(List.of(new Record(new byte[] {9}, v, List.of(Header.of("h", "x")), 5), rec("z"))).join();
            try (FetchResult r = p.fetch(base, 1 << 20).join()) {
                FetchedRecord first = r.records().get(0);
                assertArrayEquals(v, first.record().value());
                assertArrayEquals(new byte[] {9}, first.record().key());
                assertEquals(List.of(Header.of("h", "x")), first.record().headers());
                assertEquals(5, first.record().timestamp());
            }
        }
    }
}
