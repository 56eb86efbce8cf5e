package dev.logcore.io.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Native memory the ring thread points SQEs at (iovec arrays, paths, statx buffers, fd arrays):
 * power-of-two size classes from 64 bytes to 16 KiB, recycled through free lists, so a steady
 * workload allocates nothing. Confined to the ring thread; everything is freed at once when the
 * ring is freed (and never while the kernel may still read or write it).
 */
final class Scratch implements AutoCloseable {
    private static final int MIN_SHIFT = 6;
    private static final int MAX_SHIFT = 14;

    private final Arena arena = Arena.ofConfined();
    private final List<ArrayDeque<MemorySegment>> free = new ArrayList<>();

    Scratch() {
        for (int i = MIN_SHIFT; i <= MAX_SHIFT; i++) {
            free.add(new ArrayDeque<>());
        }
    }

    /** The largest block one call hands out. */
    static int maxBlock() {
        return 1 << MAX_SHIFT;
    }

    /** A block of at least {@code bytes} (at most {@link #maxBlock()}), 64-byte aligned, zeroed. */
    MemorySegment take(int bytes) {
        int cls = classOf(bytes);
        MemorySegment m = free.get(cls).pollFirst();
        if (m == null) {
            m = arena.allocate(1L << (cls + MIN_SHIFT), 64);
        } else {
            m.fill((byte) 0);
        }
        return m;
    }

    /** Gives a block from {@link #take} back. */
    void give(MemorySegment m) {
        if (m != null) {
            free.get(classOf((int) m.byteSize())).addFirst(m);
        }
    }

    private static int classOf(int bytes) {
        if (bytes <= 0 || bytes > (1 << MAX_SHIFT)) {
            throw new IllegalArgumentException("scratch block of " + bytes + " bytes");
        }
        int shift = Math.max(MIN_SHIFT, 32 - Integer.numberOfLeadingZeros(bytes - 1));
        return shift - MIN_SHIFT;
    }

    @Override
    public void close() {
        arena.close();
    }
}
