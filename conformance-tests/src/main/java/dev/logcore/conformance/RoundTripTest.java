package dev.logcore.conformance;

import static dev.logcore.conformance.Target.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.DiskFile;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.IoFuture;
import java.util.ArrayList;
import java.util.List;

/** Data read back is the data written, wherever it was written. */
class RoundTripTest {
    private static final long GIB = 1L << 30;

    @ConformanceTest
    void roundTripsAtManyOffsetsIncludingAbove4GiBInASparseFile(Target t) {
        int size = t.direct() ? 3 * t.unit() : 5000;
        List<Long> offsets = new ArrayList<>(List.of(0L, 1L << 20, 4 * GIB - 2L * size - (t.direct() ? 0 : 1),
                4 * GIB, 4 * GIB + 16384, 5 * GIB + 12288, 64 * GIB + 4096));
        if (!t.direct()) {
            offsets.addAll(List.of(6001L, 13L << 20 | 7, 4 * GIB + 1 + 65536, 7 * GIB + 4095));
        }
        DiskFile f = t.create("sparse.dat");
        List<IoBuffer> bufs = new ArrayList<>();
        List<IoFuture<Integer>> writes = new ArrayList<>();
        for (int i = 0; i < offsets.size(); i++) {
            IoBuffer b = t.patterned(size, i + 1);
            bufs.add(b);
            writes.add(f.write(b, offsets.get(i)));
        }
        for (IoFuture<Integer> w : writes) {
            assertEquals(size, await(w), "a write completes with its full length");
        }
        long end = offsets.stream().mapToLong(Long::longValue).max().orElseThrow() + size;
        assertEquals(end, await(f.size()), "the size is the end of the furthest write");
        for (int i = 0; i < offsets.size(); i++) {
            IoBuffer r = t.engine().allocate(size);
            assertEquals(size, await(f.read(r, offsets.get(i))), "full read at offset " + offsets.get(i));
            assertArrayEquals(Target.pattern(size, i + 1), r.toArray(0, size), "data at offset " + offsets.get(i));
            assertTrue(r.isOwned(), "the completion gives the buffer back");
        }
        // The hole between writes reads as zeros.
        IoBuffer hole = t.engine().allocate(t.direct() ? t.unit() : 4096);
        assertEquals(hole.capacity(), await(f.read(hole, 2 * GIB)));
        assertArrayEquals(new byte[hole.capacity()], hole.toArray(0, hole.capacity()), "a hole reads as zeros");
        await(f.close());
    }

    @ConformanceTest
    void readsAreShortOnlyAtTheEndOfTheFileAndGiveZeroPastIt(Target t) {
        int u = Math.max(t.unit(), 512);
        DiskFile f = t.create("eof.dat");
        IoBuffer data = t.patterned(4 * u, 7);
        assertEquals(4 * u, await(f.write(data, 0)));
        long fileSize = 4L * u - 100; // not a multiple of the alignment, in either mode
        await(f.truncate(fileSize));
        assertEquals(fileSize, await(f.size()));

        IoBuffer big = t.engine().allocate(8 * u);
        assertEquals((int) fileSize, await(f.read(big, 0)), "a read across the end is short by exactly what is missing");
        byte[] expect = Target.pattern(4 * u, 7);
        assertArrayEquals(java.util.Arrays.copyOf(expect, (int) fileSize), big.toArray(0, (int) fileSize));

        IoBuffer tail = t.engine().allocate(2 * u);
        assertEquals((int) (fileSize - 2L * u), await(f.read(tail, 2L * u)), "a read starting inside the last bytes");

        IoBuffer past = t.engine().allocate(u);
        assertEquals(0, await(f.read(past, 4L * u)), "a read at an aligned offset past the end gives 0 bytes");
        assertEquals(0, await(f.read(past, 1L << 40)), "a read far past the end gives 0 bytes");
        if (!t.direct()) {
            assertEquals(0, await(f.read(past, fileSize)), "a read exactly at the end gives 0 bytes");
        }

        IoBuffer inside = t.engine().allocate(u);
        assertEquals(u, await(f.read(inside, u)), "a read inside the file is never short");
        assertArrayEquals(java.util.Arrays.copyOfRange(expect, u, 2 * u), inside.toArray(0, u));
        await(f.close());
    }

    @ConformanceTest
    void aReadFillsOnlyUpToTheLimit(Target t) {
        int u = Math.max(t.unit(), 512);
        DiskFile f = t.create("limit.dat");
        assertEquals(4 * u, await(f.write(t.patterned(4 * u, 3), 0)));
        IoBuffer r = t.engine().allocate(4 * u);
        r.fill(0, 4 * u, (byte) 0x5A);
        r.limit(u);
        assertEquals(u, await(f.read(r, 0)));
        assertArrayEquals(java.util.Arrays.copyOf(Target.pattern(4 * u, 3), u), r.toArray(0, u));
        for (int i = u; i < 4 * u; i++) {
            if (r.getByte(i) != 0x5A) {
                throw new AssertionError("the read wrote past the limit at index " + i);
            }
        }
        await(f.close());
    }
}
