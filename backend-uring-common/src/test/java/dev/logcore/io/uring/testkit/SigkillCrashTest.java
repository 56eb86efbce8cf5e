package dev.logcore.io.uring.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.DiskIoProvider;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.OpenFlag;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A JVM writing with fdatasync through an io_uring provider ({@link CrashWriter}: linked
 * write-then-sync SQEs, many in flight) is killed with SIGKILL in the middle; the next JVM (this
 * one) opens the files through the same provider and finds every acknowledged record, byte for
 * byte. Each provider runs it through a subclass that names the provider.
 */
@Timeout(180)
public abstract class SigkillCrashTest {
    private static final int ACKS_BEFORE_KILL = 6000;
    private static final int MIN_ACKS_PER_FILE = 200;

    /** The provider under test. */
    protected abstract DiskIoProvider provider();

    @Test
    void everyAcknowledgedRecordSurvivesASigkillMidWrite() throws Exception {
        Path dir = TestSupport.dir("crash");
        Process child = new ProcessBuilder(TestSupport.java(CrashWriter.class, provider().name(), dir.toString()))
                .redirectErrorStream(true).start();
        ConcurrentLinkedQueue<long[]> acks = new ConcurrentLinkedQueue<>();
        List<String> other = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger count = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("ACK ")) {
                        String[] p = line.split(" ");
                        acks.add(new long[] {Integer.parseInt(p[1]), Long.parseLong(p[2])});
                        count.incrementAndGet();
                    } else {
                        if (line.equals("STARTED")) {
                            started.countDown();
                        }
                        other.add(line);
                    }
                }
            } catch (java.io.IOException e) {
                other.add("reading failed: " + e);
            }
        });
        assertTrue(started.await(60, TimeUnit.SECONDS), "the child started: " + other);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (count.get() < ACKS_BEFORE_KILL && System.nanoTime() < deadline && child.isAlive()) {
            Thread.sleep(10);
        }
        assertTrue(child.isAlive(), "the child died on its own: " + other);
        child.destroyForcibly(); // SIGKILL, with writes and syncs in flight
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        reader.join(TimeUnit.SECONDS.toMillis(30));
        assertEquals(137, child.exitValue(), "killed by SIGKILL (128 + 9): " + other);
        assertFalse(other.stream().anyMatch(l -> l.startsWith("ERROR")), "the child saw no write error: " + other);
        assertFalse(other.stream().anyMatch(l -> l.contains("WARNING")), "no JVM warning in the child's output: " + other);
        int[] perFile = new int[CrashWriter.FILES.length];
        long[] highest = new long[CrashWriter.FILES.length];
        acks.forEach(a -> {
            perFile[(int) a[0]]++;
            highest[(int) a[0]] = Math.max(highest[(int) a[0]], a[1]);
        });
        for (int f = 0; f < perFile.length; f++) {
            assertTrue(perFile[f] >= MIN_ACKS_PER_FILE, "heavy I/O on " + CrashWriter.FILES[f] + " before the kill: " + perFile[f] + " acks");
            assertTrue(Files.size(dir.resolve(CrashWriter.FILES[f])) >= (highest[f] + 1) * CrashWriter.RECORD);
        }

        DiskIo engine = provider().open(DiskIoConfig.defaults());
        try {
            DiskFile[] files = new DiskFile[CrashWriter.FILES.length];
            for (int f = 0; f < files.length; f++) {
                files[f] = engine.open(dir.resolve(CrashWriter.FILES[f]), CrashWriter.flags(f, OpenFlag.READ)).get(30, TimeUnit.SECONDS);
            }
            IoBuffer b = engine.allocate(CrashWriter.RECORD);
            int checked = 0;
            for (long[] a : acks) {
                int f = (int) a[0];
                long seq = a[1];
                int n = files[f].read(b, seq * CrashWriter.RECORD).get(30, TimeUnit.SECONDS);
                assertEquals(CrashWriter.RECORD, n, CrashWriter.FILES[f] + " record " + seq + " is missing");
                assertTrue(CrashWriter.intact(b, f, seq), CrashWriter.FILES[f] + " record " + seq + " is corrupt");
                checked++;
            }
            System.out.printf("[crash] %s: SIGKILL after %d acknowledged records (%d/%d/%d per file); all %d intact%n",
                    provider().name(), acks.size(), perFile[0], perFile[1], perFile[2], checked);
        } finally {
            engine.close();
        }
        TestSupport.deleteTree(dir); // tens of MiB; kept only when the test fails, for a look
    }
}
