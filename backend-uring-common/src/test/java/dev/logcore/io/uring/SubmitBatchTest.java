package dev.logcore.io.uring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.FsyncKind;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.IoFuture;
import dev.logcore.io.OpenFlag;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code uring.submitBatch}: no {@code io_uring_enter} carries more SQEs than the setting, what is
 * ready beyond it goes in the following enters without waiting, and a linked write-then-sync (two
 * SQEs) still goes in one.
 */
class SubmitBatchTest {
    private final FakeRing.Kernel kernel = new FakeRing.Kernel();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicInteger maxBatch = new AtomicInteger();

    private RingEngine engine(String submitBatch) throws Exception {
        return RingEngine.open("fake", DiskIoConfig.of(Map.of(UringSettings.SUBMIT_BATCH, submitBatch)),
                setup -> new CountingRing(kernel.open(setup), calls, maxBatch));
    }

    @Test
    void manyReadyOperationsGoInBatchesOfAtMostTheSetting() throws Exception {
        try (RingEngine e = engine("2")) {
            DiskFile f = e.open(Path.of("batch.dat"), OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE).get(20, TimeUnit.SECONDS);
            byte[] data = new byte[64 * 1024];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 7 + 3);
            }
            IoBuffer src = e.allocate(data.length);
            src.put(0, data);
            assertEquals(data.length, f.write(src, 0).get(20, TimeUnit.SECONDS));

            maxBatch.set(0);
            List<IoBuffer> bufs = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                bufs.add(e.allocate(1024));
            }
            // Submitted from a completion callback (the ring thread, as an event-loop caller does):
            // all 64 are queued before the ring thread fills its next batch.
            List<IoFuture<Integer>> reads = new ArrayList<>();
            f.size().thenAccept(size -> {
                for (int i = 0; i < 64; i++) {
                    reads.add(f.read(bufs.get(i), i * 1024L));
                }
            }).get(20, TimeUnit.SECONDS);
            for (int i = 0; i < reads.size(); i++) {
                assertEquals(1024, reads.get(i).get(20, TimeUnit.SECONDS));
                byte[] want = new byte[1024];
                System.arraycopy(data, i * 1024, want, 0, 1024);
                assertArrayEquals(want, bufs.get(i).toArray(0, 1024), "read " + i);
            }
            assertTrue(maxBatch.get() <= 2, "an enter carried " + maxBatch.get() + " SQEs");
            assertTrue(e.stats().submitCalls() >= 32, "64 reads in batches of 2 need at least 32 enters, saw "
                    + e.stats().submitCalls());

            // write-then-sync: its two linked SQEs fit in one batch of 2
            long linked = e.linkedSqes();
            assertEquals(data.length, f.writeThenSync(List.of(src), 0, FsyncKind.DATA).get(20, TimeUnit.SECONDS));
            assertEquals(linked + 1, e.linkedSqes());
            assertTrue(maxBatch.get() <= 2);
            f.close().get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void theDefaultIsFourAndASettingBelowTwoIsRefused() throws Exception {
        assertEquals(4, UringSettings.of(DiskIoConfig.of(Map.of())).submitBatch());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> engine("1"));
        assertTrue(bad.getMessage().contains(UringSettings.SUBMIT_BATCH), bad.getMessage());
    }
}
