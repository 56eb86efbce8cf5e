package dev.logcore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.logcore.io.DiskIo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SmokeTest {
    static java.util.stream.Stream<String> providers() {
        return TestProviders.names();
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("providers")
    void appendFetchReopen(String provider) throws Exception {
        Path dir = TestDirs.fresh("smoke-" + provider);
        LogSettings s = LogSettings.builder().segmentBytes(64 << 10).build();
        try (DiskIo io = TestProviders.open(provider)) {
            try (LogStore log = LogStore.open(dir, io, s)) {
                Topic t = log.createTopic("t", 2);
                List<CompletableFuture<Long>> fs = new ArrayList<>();
                for (int i = 0; i < 5000; i++) {
                    fs.add(t.partition(0).append(Record.of(("k" + i).getBytes(), ("value-" + i).getBytes(StandardCharsets.UTF_8))));
                }
                for (int i = 0; i < fs.size(); i++) {
                    assertEquals(i, fs.get(i).join());
                }
                assertEquals(5000, t.partition(0).logEndOffset());
                long off = 0;
                int seen = 0;
                while (off < 5000) {
                    try (FetchResult r = t.partition(0).fetch(off, 10_000).join()) {
                        for (FetchedRecord fr : r.records()) {
                            assertEquals(seen, fr.offset());
                            assertEquals("value-" + seen, new String(fr.record().value(), StandardCharsets.UTF_8));
                            seen++;
                        }
                        off = r.nextOffset();
                    }
                }
                assertEquals(5000, seen);
            }
            try (LogStore log = LogStore.open(dir, io, s)) {
                PartitionLog p = log.topic("t").partition(0);
                assertEquals(5000, p.logEndOffset());
                assertEquals(5000, p.append(Record.of("x", "y")).join());
            }
        } finally {
            TestDirs.delete(dir);
        }
    }
}
