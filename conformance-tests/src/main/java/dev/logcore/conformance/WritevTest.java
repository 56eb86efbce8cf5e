package dev.logcore.conformance;

import static dev.logcore.conformance.Target.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.DiskFile;
import dev.logcore.io.IoBuffer;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Gathered writes land in order, contiguously, completely. */
class WritevTest {

    private static void verify(Target t, DiskFile f, long offset, byte[] expected) {
        int chunk = 8 << 20;
        for (int done = 0; done < expected.length; ) {
            int n = Math.min(chunk, expected.length - done);
            IoBuffer r = t.engine().allocate(t.round(n));
            int got = await(f.read(r, offset + done));
            assertTrue(got >= n, "read back " + got + " of " + n + " bytes at " + (offset + done));
            byte[] actual = r.toArray(0, n);
            for (int i = 0; i < n; i++) {
                if (actual[i] != expected[done + i]) {
                    throw new AssertionError("byte " + (done + i) + " of the gathered write differs: expected "
                            + expected[done + i] + " found " + actual[i]);
                }
            }
            r.close();
            done += n;
        }
    }

    private static byte[] gather(Target t, List<IoBuffer> bufs, List<Integer> sizes, long seedBase) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < sizes.size(); i++) {
            byte[] p = Target.pattern(sizes.get(i), seedBase + i);
            IoBuffer b = t.engine().allocate(sizes.get(i));
            b.put(0, p);
            bufs.add(b);
            all.writeBytes(p);
        }
        return all.toByteArray();
    }

    @ConformanceTest
    void manyBuffersLandInOrderAndContiguously(Target t) {
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            sizes.add(t.direct() ? t.unit() * (1 + i % 3) : 1 + (i * 37) % 5000);
        }
        List<IoBuffer> bufs = new ArrayList<>();
        byte[] expected = gather(t, bufs, sizes, 100);
        long offset = t.direct() ? t.unit() : 17;
        DiskFile f = t.create("writev.dat");
        assertEquals(expected.length, await(f.writev(bufs, offset)), "writev completes with the total length");
        bufs.forEach(b -> assertTrue(b.isOwned(), "every buffer is given back"));
        assertEquals(offset + expected.length, await(f.size()));
        verify(t, f, offset, expected);
        await(f.close());
    }

    @ConformanceTest
    void moreBuffersThanIovMaxInOneWrite(Target t) {
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            sizes.add(t.direct() ? t.unit() : 100 + i % 7);
        }
        List<IoBuffer> bufs = new ArrayList<>();
        byte[] expected = gather(t, bufs, sizes, 5000);
        DiskFile f = t.create("iovmax.dat");
        assertEquals(expected.length, await(f.writev(bufs, 0)));
        verify(t, f, 0, expected);
        await(f.close());
    }

    @ConformanceTest
    void buffersFromOneByteTo64MiB(Target t) {
        List<Integer> sizes = t.direct()
                ? List.of(t.unit(), 2 * t.unit(), 16 * t.unit(), 1 << 20, 64 << 20)
                : List.of(1, 2, 3, 4095, 4097, 65537, (1 << 20) + 1, 64 << 20);
        List<IoBuffer> bufs = new ArrayList<>();
        byte[] expected = gather(t, bufs, sizes, 9000);
        DiskFile f = t.create("sizes.dat");
        long offset = t.direct() ? 0 : 3;
        assertEquals(expected.length, await(f.writev(bufs, offset)));
        verify(t, f, offset, expected);
        bufs.forEach(IoBuffer::close);
        await(f.close());
    }

    @ConformanceTest
    void aLaterGatheredWriteOverwritesInPlace(Target t) {
        int u = Math.max(t.unit(), 512);
        DiskFile f = t.create("overwrite.dat");
        List<IoBuffer> first = new ArrayList<>();
        byte[] a = gather(t, first, List.of(u, u, u, u), 1);
        await(f.writev(first, 0));
        List<IoBuffer> second = new ArrayList<>();
        byte[] b = gather(t, second, List.of(u, u), 50);
        await(f.writev(second, u));
        System.arraycopy(b, 0, a, u, b.length);
        verify(t, f, 0, a);
        assertEquals(4L * u, await(f.size()));
        IoBuffer whole = t.engine().allocate(4 * u);
        await(f.read(whole, 0));
        assertArrayEquals(a, whole.toArray(0, 4 * u));
        await(f.close());
    }
}
