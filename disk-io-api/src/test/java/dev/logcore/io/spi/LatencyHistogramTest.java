package dev.logcore.io.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.DiskIoStats;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void bucketsRoundTripTheirLowerBounds() {
        for (long v : new long[] {0, 1, 15, 16, 17, 31, 32, 1000, 123_456, 1L << 40, Long.MAX_VALUE / 2}) {
            int i = LatencyHistogram.index(v);
            assertTrue(LatencyHistogram.lowerBound(i) <= v, "lower bound of " + v);
            assertTrue(i + 1 >= 1024 || LatencyHistogram.lowerBound(i + 1) > v, "next bound above " + v);
        }
    }

    @Test
    void percentilesAreWithinSixPercent() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 1; i <= 100_000; i++) {
            h.record(i * 10L); // uniform 10 ns .. 1 ms
        }
        DiskIoStats.Latency s = h.summary();
        assertEquals(100_000, s.count());
        assertEquals(500_000, s.p50Nanos(), 500_000 * 0.07);
        assertEquals(990_000, s.p99Nanos(), 990_000 * 0.07);
        assertEquals(1_000_000, s.maxNanos());
        assertEquals(500_005, s.meanNanos(), 1);
    }

    @Test
    void concurrentRecordingLosesNothing() throws Exception {
        LatencyHistogram h = new LatencyHistogram();
        Thread[] ts = new Thread[4];
        for (int t = 0; t < ts.length; t++) {
            long seed = t;
            ts[t] = Thread.ofPlatform().start(() -> {
                Random r = new Random(seed);
                for (int i = 0; i < 50_000; i++) {
                    h.record(r.nextInt(1_000_000));
                }
            });
        }
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(200_000, h.summary().count());
    }
}
