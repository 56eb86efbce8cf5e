package dev.logcore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.DiskIo;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Crashes with real processes, against every provider: a child JVM appends under the durable policy
 * and prints each acknowledged offset; the parent kills it with SIGKILL at a random moment, many
 * times, and after each kill reopens the log: every acknowledged record is there, intact and in
 * order, offsets are dense, and every record present is exactly the one written for its offset
 * (nothing half-present).
 */
class ProcessCrashTest {
    private static final int KILLS = Integer.getInteger("logcore.log.kills", 10);
    private static final int VALUE = 100;

    static Stream<String> providers() {
        return TestProviders.names();
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("providers")
    void sigkillAtRandomMomentsNeverLosesAnAcknowledgedRecord(String provider) throws Exception {
        Path dir = TestDirs.fresh("sigkill-" + provider).resolve("p");
        Random rnd = new Random(provider.hashCode());
        long totalAcked = 0;
        try {
            for (int kill = 0; kill < KILLS; kill++) {
                int window = new int[] {1, 64, 1024}[kill % 3];
                int run = kill;
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                        "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                        dir.toString(), provider, Integer.toString(window), Integer.toString(VALUE));
                // The child's stderr goes to a file: a child that dies before it starts says why.
                Path childErr = dir.getParent().resolve("child-" + kill + ".err");
                Files.createDirectories(dir.getParent());
                pb.redirectError(childErr.toFile());
                Process child = pb.start();
                AtomicLong maxAcked = new AtomicLong(-1);
                AtomicLong start = new AtomicLong(-1);
                AtomicReference<String> problem = new AtomicReference<>();
                Thread reader = new Thread(() -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            if (line.startsWith("ACK ")) {
                                long off = Long.parseLong(line.substring(4));
                                if (off <= maxAcked.get()) {
                                    problem.compareAndSet(null, "acknowledgements out of order: " + off + " after " + maxAcked.get());
                                }
                                maxAcked.set(off);
                            } else if (line.startsWith("START ")) {
                                start.set(Long.parseLong(line.substring(6)));
                            } else {
                                problem.compareAndSet(null, line);
                            }
                        }
                    } catch (java.io.IOException e) {
                        // the child is gone
                    }
                });
                reader.start();
                // Generous: a JVM start on a loaded 2-core machine can take many seconds.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (start.get() < 0 && child.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertTrue(start.get() >= 0, () -> "the child started (run " + run + ", alive " + child.isAlive()
                        + ", stdout problem " + problem.get() + ", stderr " + tail(childErr) + ")");
                // Kill at a random moment after the first acknowledgement (a loaded machine may take a while).
                while (maxAcked.get() < start.get() && child.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                Thread.sleep(rnd.nextInt(400));
                child.destroyForcibly(); // SIGKILL on Linux
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                reader.join(10_000);
                assertEquals(null, problem.get(), "run " + kill);
                long acked = maxAcked.get();
                assertTrue(acked >= start.get(), "the child acknowledged appends before it was killed (run " + kill + ")");
                try (DiskIo io = TestProviders.open(provider);
                     PartitionLog p = PartitionLog.open("p", dir, io, LogSettings.builder().segmentBytes(256 << 10).build())) {
                    assertFalse(p.isFenced(), () -> "a killed process leaves no corruption: " + p.fenceReason().orElseThrow().getMessage());
                    assertTrue(p.logEndOffset() > acked, "acknowledged offset " + acked + " survived (end " + p.logEndOffset() + ")");
                    List<FetchedRecord> all = Kit.readAll(p);
                    assertEquals(p.logEndOffset(), all.size());
                    Kit.assertRecordsMatch(all, VALUE);
                    totalAcked = acked + 1;
                }
            }
            assertTrue(totalAcked > KILLS, "appends were acknowledged across the runs: " + totalAcked);
        } finally {
            TestDirs.delete(dir.getParent());
        }
    }

    private static String tail(Path file) {
        try {
            String s = Files.readString(file);
            return s.length() > 2000 ? "..." + s.substring(s.length() - 2000) : s;
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
