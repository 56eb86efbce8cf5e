package dev.logcore.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Lookups in the sparse index: at, between and past entries, before the first, on an empty one. */
class OffsetIndexTest {

    @Test
    void emptyIndexPointsAtTheSegmentStart() {
        OffsetIndex ix = new OffsetIndex();
        assertEquals(0, ix.floorPosition(0));
        assertEquals(0, ix.floorPosition(1_000_000));
    }

    @Test
    void lookupsAtBetweenAndPastEntries() {
        OffsetIndex ix = new OffsetIndex();
        ix.append(100, 4096);
        ix.append(250, 8192);
        ix.append(400, 12288);
        assertEquals(0, ix.floorPosition(0), "before the first entry: the segment's start");
        assertEquals(0, ix.floorPosition(99));
        assertEquals(4096, ix.floorPosition(100), "at an entry");
        assertEquals(4096, ix.floorPosition(101), "between entries: the one below");
        assertEquals(4096, ix.floorPosition(249));
        assertEquals(8192, ix.floorPosition(250));
        assertEquals(8192, ix.floorPosition(399));
        assertEquals(12288, ix.floorPosition(400));
        assertEquals(12288, ix.floorPosition(Long.MAX_VALUE), "past the last entry: the last");
    }

    @Test
    void entriesMustIncreaseAndSurviveGrowth() {
        OffsetIndex ix = new OffsetIndex();
        for (int i = 1; i <= 10_000; i++) {
            ix.append(i * 10, i * 100);
        }
        assertEquals(10_000, ix.size());
        for (int i = 1; i <= 10_000; i += 37) {
            assertEquals(i * 100, ix.floorPosition(i * 10L + 5));
        }
        assertThrows(IllegalStateException.class, () -> ix.append(5, 2_000_000));
        assertThrows(IllegalStateException.class, () -> ix.append(200_000, 50));
        int[][] a = ix.toArrays();
        assertEquals(10_000, a[0].length);
        OffsetIndex copy = new OffsetIndex(a[0], a[1]);
        assertArrayEquals(a[1], copy.toArrays()[1]);
        assertEquals(500, copy.floorPosition(55));
    }

    @Test
    void readersSeeAConsistentIndexWhileItGrows() throws Exception {
        OffsetIndex ix = new OffsetIndex();
        Thread w = new Thread(() -> {
            for (int i = 1; i <= 200_000; i++) {
                ix.append(i, i * 8);
            }
        });
        w.start();
        while (w.isAlive()) {
            int n = ix.size();
            if (n > 0) {
                assertEquals(n * 8, ix.floorPosition(n), "entry " + n + " is visible once the size covers it");
            }
        }
        w.join();
    }
}
