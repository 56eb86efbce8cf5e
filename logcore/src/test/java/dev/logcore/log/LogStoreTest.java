package dev.logcore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Topics, key routing end to end, consumer positions, the directory lock, backpressure. */
class LogStoreTest extends BestEngineTest {
    @Test
    void recordsWithOneKeyLandInOnePartitionInOrder() throws Exception {
        try (LogStore log = LogStore.open(dir, io, LogSettings.defaults())) {
            Topic t = log.createTopic("orders", 4);
            List<CompletableFuture<AppendResult>> fs = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                String key = "customer-" + (i % 13);
                fs.add(t.append(Record.of(key, key + ":" + i)));
            }
            Map<String, Integer> partitionOfKey = new HashMap<>();
            for (CompletableFuture<AppendResult> f : fs) {
                f.join();
            }
            for (int p = 0; p < 4; p++) {
                Map<String, Integer> lastSeq = new HashMap<>();
                for (FetchedRecord r : Kit.readAll(t.partition(p))) {
                    String[] kv = new String(r.record().value(), StandardCharsets.UTF_8).split(":");
                    Integer prev = partitionOfKey.putIfAbsent(kv[0], p);
                    assertEquals(prev == null ? p : prev, p, "key " + kv[0] + " in one partition");
                    int seq = Integer.parseInt(kv[1]);
                    assertTrue(lastSeq.getOrDefault(kv[0], -1) < seq, "order kept for " + kv[0]);
                    lastSeq.put(kv[0], seq);
                }
            }
            assertEquals(13, partitionOfKey.size());
            // Keyless records spread evenly.
            Topic u = log.createTopic("events", 3);
            for (int i = 0; i < 300; i++) {
                u.append(Record.of((byte[]) null, new byte[1])).join();
            }
            for (int p = 0; p < 3; p++) {
                assertEquals(100, u.partition(p).logEndOffset());
            }
        }
        try (LogStore log = LogStore.open(dir, io, LogSettings.defaults())) {
            assertEquals(List.of("events", "orders"), log.topicNames());
            assertEquals(4, log.topic("orders").partitionCount());
            assertThrows(IllegalArgumentException.class, () -> log.createTopic("orders", 5));
            assertThrows(IllegalArgumentException.class, () -> log.topic("nope"));
            assertThrows(IllegalArgumentException.class, () -> log.createTopic("../evil", 1));
            assertThrows(IllegalArgumentException.class, () -> log.createTopic("__internal", 1));
        }
    }

    @Test
    void oneProcessAtATime() throws Exception {
        try (LogStore log = LogStore.open(dir, io, LogSettings.defaults())) {
            IOException e = assertThrows(IOException.class, () -> LogStore.open(dir, io, LogSettings.defaults()));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
        LogStore.open(dir, io, LogSettings.defaults()).close();
    }

    @Test
    void consumerPositionsAreCommittedDurablyAndReadBack() throws Exception {
        TopicPartition tp0 = new TopicPartition("orders", 0);
        TopicPartition tp1 = new TopicPartition("orders", 1);
        try (LogStore log = LogStore.open(dir, io, LogSettings.defaults())) {
            ConsumerOffsets co = log.consumerOffsets();
            assertTrue(co.committed("g1", tp0).isEmpty());
            co.commit("g1", tp0, 42);
            co.commit("g1", Map.of(tp1, 7L, tp0, 43L));
            co.commit("g2", tp0, 1);
            assertEquals(43, co.committed("g1", tp0).getAsLong());
            assertThrows(IllegalArgumentException.class, () -> co.commit("g1", tp0, -1));
            assertThrows(IllegalArgumentException.class, () -> co.commit("bad/group", tp0, 1));
        }
        Path f = dir.resolve(ConsumerOffsets.DIR).resolve("g1.offsets");
        assertTrue(Files.exists(f));
        assertFalse(Files.exists(dir.resolve(ConsumerOffsets.DIR).resolve("g1.offsets.tmp")), "the temporary file was renamed");
        try (LogStore log = LogStore.open(dir, io, LogSettings.defaults())) {
            ConsumerOffsets co = log.consumerOffsets();
            assertEquals(Map.of(tp0, 43L, tp1, 7L), co.positions("g1"));
            assertEquals(1, co.committed("g2", tp0).getAsLong());
        }
        byte[] b = Files.readAllBytes(f);
        b[b.length - 1] ^= 1;
        Files.write(f, b);
        try (LogStore log = LogStore.open(dir, io, LogSettings.defaults())) {
            CorruptLogException e = assertThrows(CorruptLogException.class, () -> log.consumerOffsets().positions("g1"));
            assertTrue(e.getMessage().contains("CRC32C"), e.getMessage());
        }
    }

    @Test
    void aFullQueueRefusesAppendsAtOnceWithAClearError() throws Exception {
        LogSettings s = LogSettings.builder().maxPendingAppends(64).build();
        try (PartitionLog p = PartitionLog.open("p", dir.resolve("p"), io, s)) {
            List<CompletableFuture<Long>> fs = new ArrayList<>();
            int refused = 0;
            String message = null;
            for (int i = 0; i < 200_000 && refused == 0; i++) {
                CompletableFuture<Long> f = p.append(Record.of(new byte[100]));
                if (f.isCompletedExceptionally()) {
                    CompletionException e = assertThrows(CompletionException.class, f::join);
                    assertTrue(e.getCause() instanceof AppendQueueFullException, e.toString());
                    message = e.getCause().getMessage();
                    refused++;
                } else {
                    fs.add(f);
                }
            }
            assertTrue(refused > 0, "a producer faster than the disk fills the queue");
            assertTrue(message.contains("64 appends pending") && message.contains("maxPendingAppends"), message);
            for (int i = 0; i < fs.size(); i++) {
                assertEquals(i, fs.get(i).join(), "the accepted appends are all acknowledged, densely");
            }
        }
    }
}
