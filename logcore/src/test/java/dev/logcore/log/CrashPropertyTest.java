package dev.logcore.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.DiskIo;
import dev.logcore.io.Errno;
import dev.logcore.io.faults.CrashMode;
import dev.logcore.io.faults.Fault;
import dev.logcore.io.faults.FaultyDiskIo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Seeded property tests through the fault-injecting engine: random settings, random workloads,
 * random faults, a crash at a random moment that keeps a random subset of unsynced sectors (the
 * last write torn). On every seed: acknowledged ⊆ recovered ⊆ written, recovered is a prefix with
 * dense offsets and exactly the records written, and the partition is never fenced (a crash only
 * tears unsynced data). A failing seed replays: its number is in the test's name.
 */
class CrashPropertyTest {
    private static final int SEEDS = Integer.getInteger("logcore.log.seeds", 24);
    private static final int FIRST_SEED = Integer.getInteger("logcore.log.firstSeed", 0);

    @TestFactory
    Stream<DynamicTest> acknowledgedSubsetOfRecoveredSubsetOfWrittenOnEverySeed() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String provider : TestProviders.names().toList()) {
            for (int seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
                final int s = seed;
                tests.add(DynamicTest.dynamicTest("[" + provider + "] seed " + seed, () -> runSeed(provider, s)));
            }
        }
        return tests.stream();
    }

    /** The record the producer's i-th append carries (a function of i and the seed). */
    static Record intended(long seed, long i) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003 + i);
        // At most 1,000 bytes: every record fits a batch of the smallest segment the seeds pick.
        int len = r.nextInt(8) == 0 ? r.nextInt(1000) : r.nextInt(120);
        byte[] v = new byte[len];
        for (int k = 0; k < len; k++) {
            v[k] = (byte) r.nextInt(256);
        }
        return new Record(r.nextBoolean() ? null : ("key" + i).getBytes(), v, List.of(), 1_000 + i);
    }

    private void runSeed(String provider, int seed) throws Exception {
        Random rnd = new Random(seed);
        Durability policy = rnd.nextInt(10) < 8 ? Durability.DURABLE : rnd.nextBoolean() ? Durability.INTERVAL : Durability.NONE;
        LogSettings settings = LogSettings.builder()
                .durability(policy)
                .syncInterval(Duration.ofMillis(2 + rnd.nextInt(10)))
                .segmentBytes(new int[] {2048, 4096, 16384, 1 << 20}[rnd.nextInt(4)])
                .maxInFlightBatches(1 + rnd.nextInt(4))
                .maxBatchRecords(new int[] {1, 8, 64, 1024}[rnd.nextInt(4)])
                .indexIntervalBytes(new int[] {64, 512, 4096}[rnd.nextInt(3)])
                .build();
        int total = 200 + rnd.nextInt(2000);
        int window = new int[] {1, 16, 256}[rnd.nextInt(3)];
        int crashAfterAcks = rnd.nextInt(total);
        Path dir = TestDirs.fresh("prop-" + provider + "-" + seed);
        Path pdir = dir.resolve("p");
        ConcurrentSkipListSet<Long> acked = new ConcurrentSkipListSet<>();
        java.util.concurrent.atomic.AtomicReference<String> misordered = new java.util.concurrent.atomic.AtomicReference<>();
        long issued = 0;
        String faultDesc = "none";
        FaultyDiskIo io = new FaultyDiskIo(TestProviders.open(provider), seed);
        try {
            int f = rnd.nextInt(10);
            if (f < 3) {
                io.inject(Fault.onSync(Fault.named(".log")).after(rnd.nextInt(50)).fail(Errno.EIO));
                faultDesc = "sync EIO";
            } else if (f == 3) {
                io.inject(Fault.onWrite(Fault.named(".log")).after(rnd.nextInt(50)).fail(Errno.ENOSPC));
                faultDesc = "write ENOSPC";
            } else if (f == 4) {
                io.inject(Fault.onWrite(Fault.named(".log")).after(rnd.nextInt(50)).shortWrite());
                faultDesc = "short write";
            }
            PartitionLog p = PartitionLog.open("p", pdir, io, settings);
            List<CompletableFuture<Long>> inFlight = new ArrayList<>();
            while (issued < total && acked.size() < crashAfterAcks && !p.isFenced()) {
                long i = issued++;
                CompletableFuture<Long> fut = p.append(intended(seed, i));
                fut.whenComplete((off, err) -> {
                    if (err == null) {
                        if (off != i) {
                            misordered.compareAndSet(null, "append " + i + " got offset " + off);
                        }
                        acked.add(off);
                    } else if (!(err instanceof PartitionFencedException || err instanceof LogClosedException)) {
                        misordered.compareAndSet(null, "append " + i + " failed unexpectedly: " + err);
                    }
                });
                inFlight.add(fut);
                if (inFlight.size() >= window) {
                    inFlight.remove(0).exceptionally(t -> -1L).join();
                }
            }
            List<String> crash = io.crash(CrashMode.RANDOM);
            p.close();
            inFlight.forEach(x -> x.exceptionally(t -> -1L).join());
            assertEquals(null, misordered.get());
            String context = "seed " + seed + " " + policy + " fault " + faultDesc + " " + settings + " issued " + issued
                    + " acked " + acked.size() + " crash " + crash;
            try (DiskIo fresh = TestProviders.open(provider);
                 PartitionLog r = PartitionLog.open("p", pdir, fresh, settings)) {
                assertFalse(r.isFenced(), () -> "a crash tears only unsynced data, never corruption: "
                        + r.fenceReason().orElseThrow().getMessage() + "; " + context);
                long end = r.logEndOffset();
                assertTrue(end <= issued, "recovered ⊆ written: " + end + " > " + issued + "; " + context);
                if (policy == Durability.DURABLE) {
                    long maxAcked = acked.isEmpty() ? -1 : acked.last();
                    assertTrue(end > maxAcked, "acknowledged ⊆ recovered: acked " + maxAcked + ", recovered end " + end + "; " + context);
                }
                List<FetchedRecord> rs = Kit.readAll(r);
                assertEquals(end, rs.size(), "a prefix with dense offsets; " + context);
                for (FetchedRecord fr : rs) {
                    Record want = intended(seed, fr.offset());
                    assertArrayEquals(want.value(), fr.record().value(), "record " + fr.offset() + " is the one written; " + context);
                    assertEquals(want, fr.record());
                }
                // The recovered log takes appends again, from its end.
                assertEquals(end, r.append(intended(seed, end)).join());
            }
        } finally {
            io.close();
            if (!Boolean.getBoolean("logcore.log.keep")) {
                TestDirs.delete(dir);
            }
        }
    }
}
