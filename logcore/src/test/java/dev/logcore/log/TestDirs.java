package dev.logcore.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Test directories on a real disk (target/log-tests), not tmpfs: syncs must mean something. */
final class TestDirs {
    private TestDirs() {
    }

    static Path base() {
        Path p = Path.of(System.getProperty("logcore.log.testdir", "target/log-tests"));
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.toAbsolutePath();
    }

    static Path fresh(String name) {
        try {
            Path d = Files.createTempDirectory(base(), name.replaceAll("[^A-Za-z0-9._-]", "_") + "-");
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left for target/ cleanup
                }
            });
        } catch (IOException e) {
            // left for target/ cleanup
        }
    }
}
