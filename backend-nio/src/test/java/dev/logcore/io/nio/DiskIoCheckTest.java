package dev.logcore.io.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.tool.DiskIoCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check tool (the launcher's {@code check} command) on the nio provider. */
class DiskIoCheckTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DiskIoCheck.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void checksTheNamedBackendAndPrintsItsStats(@TempDir Path dir) {
        Path data = Path.of("target", "check-test-data");
        Run r = run("--backend", "nio", "--data-dir", data.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("nio        available"), r.out());
        assertTrue(r.out().contains("backend: nio (setting 'nio' from flag --backend"), r.out());
        assertTrue(r.out().contains("buffered") && r.out().contains("data verified"), r.out());
        assertTrue(r.out().contains("O_DIRECT"), r.out());
        assertTrue(r.out().contains("provider nio:") && r.out().contains("system calls"), r.out());
        assertTrue(r.out().contains("check passed"), r.out());
    }

    @Test
    void anUnknownBackendFailsWithOneLineAndStatus2(@TempDir Path dir) {
        Run r = run("--backend=nosuch", "--data-dir", dir.toString());
        assertEquals(2, r.status());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("logcore: backend 'nosuch' is unknown: the providers here are "), r.err());
    }

    @Test
    void theConfigFileNamesTheBackendWhenNothingElseDoes(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("logcore.properties");
        Files.writeString(cfg, "backend=nosuch-from-file\n");
        Run r = run("--config", cfg.toString(), "--data-dir", dir.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("nosuch-from-file"), r.err());
        Run missing = run("--config", dir.resolve("absent.properties").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("does not exist"), missing.err());
    }
}
