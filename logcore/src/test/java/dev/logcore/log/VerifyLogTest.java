package dev.logcore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.DiskIo;
import dev.logcore.log.tool.VerifyLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The verify tool: what it prints and its exit status for a clean, a torn and a corrupt log. */
class VerifyLogTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.fresh("verify");
        try (DiskIo io = TestProviders.openBest();
             LogStore log = LogStore.open(dir, io, LogSettings.builder().segmentBytes(4096).build())) {
            Topic t = log.createTopic("orders", 2);
            Kit.appendOneByOne(t.partition(0), 0, 120, 40);
            Kit.appendOneByOne(t.partition(1), 0, 5, 40);
        }
    }

    @AfterEach
    void tearDown() {
        TestDirs.delete(dir);
    }

    private record Run(int status, String out) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = VerifyLog.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aCleanLogVerifiesWithEverySegmentListed() {
        Run r = run(dir.toString());
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().contains("result: OK (2 partitions)"), r.out());
        assertTrue(r.out().contains("sealed") && r.out().contains("footer OK") && r.out().contains("entries OK"), r.out());
        assertTrue(r.out().contains("offsets 0..119 (120 records)"), r.out());
        Run one = run(dir.resolve("orders").resolve("1").toString());
        assertEquals(0, one.status());
        assertTrue(one.out().contains("(1 partitions)"), one.out());
    }

    @Test
    void aTornTailIsRecoverableAndCorruptionIsReported() throws Exception {
        Path pdir = dir.resolve("orders").resolve("0");
        Files.delete(pdir.resolve(RecoveryPoint.FILE));
        List<Path> logs = Kit.segmentLogs(pdir);
        Path active = logs.get(logs.size() - 1);
        byte[] b = Kit.read(active);
        Kit.write(active, Arrays.copyOf(b, b.length - 5));
        Run r = run(dir.toString());
        assertEquals(1, r.status(), r.out());
        assertTrue(r.out().contains("TORN TAIL") && r.out().contains("RECOVERABLE"), r.out());
        assertTrue(Arrays.equals(Arrays.copyOf(b, b.length - 5), Kit.read(active)), "verify changes nothing");

        Path sealed = logs.get(0);
        byte[] s = Kit.read(sealed);
        s[100] ^= 0x20;
        Kit.write(sealed, s);
        r = run(dir.toString());
        assertEquals(2, r.status(), r.out());
        assertTrue(r.out().contains("CORRUPT: " + sealed.getFileName()), r.out());
    }

    @Test
    void usageAndMissingDirectoriesAreErrors() {
        assertEquals(3, run().status());
        Run r = run(dir.resolve("nope").toString());
        assertEquals(3, r.status());
        assertTrue(r.out().contains("not a directory"), r.out());
        assertEquals(3, run("--backend", "nosuch", dir.toString()).status());
    }
}
