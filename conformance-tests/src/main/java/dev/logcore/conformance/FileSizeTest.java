package dev.logcore.conformance;

import static dev.logcore.conformance.Target.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.DiskFile;
import dev.logcore.io.IoBuffer;
import java.io.IOException;
import java.nio.file.Path;

/** size, truncate and preallocate, checked on the file itself. */
class FileSizeTest {

    /** Blocks the file system really allocated for a file, in bytes ({@code stat %b} x 512). */
    static long allocatedBytes(Path p) throws IOException, InterruptedException {
        Process proc = new ProcessBuilder("stat", "--format=%b %B", p.toString()).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes()).trim();
        if (proc.waitFor() != 0) {
            throw new AssertionError("stat failed: " + out);
        }
        String[] parts = out.split(" ");
        return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
    }

    @ConformanceTest
    void truncateCutsAndGrowsAndSizeFollows(Target t) {
        int u = Math.max(t.unit(), 512);
        DiskFile f = t.create("size.dat");
        assertEquals(0L, await(f.size()));
        await(f.write(t.patterned(3 * u, 1), 0));
        assertEquals(3L * u, await(f.size()));

        await(f.truncate(u));
        assertEquals((long) u, await(f.size()), "truncate cuts");
        IoBuffer r = t.engine().allocate(u);
        assertEquals(0, await(f.read(r, u)), "nothing is left past the cut");

        await(f.truncate(5L * u));
        assertEquals(5L * u, await(f.size()), "truncate grows");
        IoBuffer grown = t.engine().allocate(4 * u);
        assertEquals(4 * u, await(f.read(grown, u)));
        assertArrayEquals(new byte[4 * u], grown.toArray(0, 4 * u), "grown bytes read as zeros, old ones are gone");
        IoBuffer head = t.engine().allocate(u);
        assertEquals(u, await(f.read(head, 0)));
        assertArrayEquals(java.util.Arrays.copyOf(Target.pattern(3 * u, 1), u), head.toArray(0, u), "what was kept is intact");

        await(f.truncate(5L * u));
        assertEquals(5L * u, await(f.size()), "truncating to the same size changes nothing");
        await(f.truncate(0));
        assertEquals(0L, await(f.size()));
        await(f.close());
    }

    @ConformanceTest
    void preallocateReservesBlocksWithoutTouchingData(Target t) throws Exception {
        int u = Math.max(t.unit(), 512);
        DiskFile f = t.create("prealloc.dat");
        await(f.write(t.patterned(2 * u, 9), 0));
        long len = 8L << 20;
        long before = allocatedBytes(t.file("prealloc.dat"));
        await(f.preallocate(2L * u, len));
        assertTrue(await(f.size()) >= 2L * u + len, "the size grows to cover the range");
        long after = allocatedBytes(t.file("prealloc.dat"));
        assertTrue(after - before >= len, "the file system allocated the blocks: " + before + " -> " + after + " bytes");

        IoBuffer r = t.engine().allocate(2 * u);
        assertEquals(2 * u, await(f.read(r, 0)));
        assertArrayEquals(Target.pattern(2 * u, 9), r.toArray(0, 2 * u), "existing data is untouched");
        IoBuffer z = t.engine().allocate(4 * u);
        assertEquals(4 * u, await(f.read(z, 2L * u + (1 << 20))));
        assertArrayEquals(new byte[4 * u], z.toArray(0, 4 * u), "preallocated bytes read as zeros");

        await(f.preallocate(0, u));
        assertEquals(2 * u, await(f.read(r, 0)));
        assertArrayEquals(Target.pattern(2 * u, 9), r.toArray(0, 2 * u), "preallocating over data keeps it");
        await(f.close());
    }

    @ConformanceTest(modes = Mode.BUFFERED)
    void preallocateFillsHolesInsideTheFile(Target t) throws Exception {
        DiskFile f = t.create("holes.dat");
        await(f.truncate(4L << 20)); // one big hole
        long before = allocatedBytes(t.file("holes.dat"));
        await(f.preallocate(1 << 20, 2 << 20));
        long after = allocatedBytes(t.file("holes.dat"));
        assertEquals(4L << 20, await(f.size()), "preallocating inside the file keeps its size");
        assertTrue(after - before >= 2L << 20, "the hole's blocks were allocated: " + before + " -> " + after);
        await(f.close());
    }
}
