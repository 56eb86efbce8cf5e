package dev.logcore.io.uring.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.OpenFlag;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A JVM doing heavy synced writes through uring-jni is killed with SIGKILL in the middle; the next
 * JVM (this one) opens the same files and finds every acknowledged record intact.
 */
class CrashTest {

    @Test
    void everyAcknowledgedRecordSurvivesASigkillMidWrite() throws Exception {
        Path dir = TestSupport.dir("crash");
        Process child = new ProcessBuilder(TestSupport.java(CrashWriter.class, dir.toString(), "60"))
                .redirectErrorStream(true).start();
        ConcurrentLinkedQueue<long[]> acks = new ConcurrentLinkedQueue<>();
        List<String> other = new ArrayList<>();
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
                        synchronized (other) {
                            other.add(line);
                        }
                    }
                }
            } catch (java.io.IOException e) {
                synchronized (other) {
                    other.add("reading failed: " + e);
                }
            }
        });
        assertTrue(started.await(60, TimeUnit.SECONDS), "the child started: " + other);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (count.get() < 6000 && System.nanoTime() < deadline && child.isAlive()) {
            Thread.sleep(10);
        }
        assertTrue(child.isAlive(), "the child died on its own: " + other);
        child.destroyForcibly(); // SIGKILL, in the middle of its writes
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        reader.join(TimeUnit.SECONDS.toMillis(30));
        assertEquals(137, child.exitValue(), "killed by SIGKILL (128 + 9): " + other);
        synchronized (other) {
            assertFalse(other.stream().anyMatch(l -> l.startsWith("ERROR")), "the child saw no write error: " + other);
        }
        int[] perFile = new int[CrashWriter.FILES.length];
        acks.forEach(a -> perFile[(int) a[0]]++);
        for (int f = 0; f < perFile.length; f++) {
            assertTrue(perFile[f] >= 200, "heavy I/O on " + CrashWriter.FILES[f] + " before the kill: " + perFile[f] + " acks");
        }

        DiskIo engine = new UringJniProvider().open(DiskIoConfig.defaults());
        try {
            DiskFile[] files = new DiskFile[CrashWriter.FILES.length];
            for (int f = 0; f < files.length; f++) {
                files[f] = engine.open(dir.resolve(CrashWriter.FILES[f]), f == 2
                        ? new OpenFlag[] {OpenFlag.READ, OpenFlag.DIRECT} : new OpenFlag[] {OpenFlag.READ}).get(30, TimeUnit.SECONDS);
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
            System.out.printf("[crash] SIGKILL after %d acknowledged records (%d/%d/%d per file); all %d intact%n",
                    acks.size(), perFile[0], perFile[1], perFile[2], checked);
        } finally {
            engine.close();
        }
    }
}
