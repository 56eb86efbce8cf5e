package dev.logcore.log;

import dev.logcore.io.DiskIo;
import dev.logcore.io.IoBuffer;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Engine buffers for reads, and heap arrays for fetch results, reused by size class (powers of two
 * from 64 KiB), so a steady stream of fetches allocates nothing. An engine buffer comes back only
 * after its read completed (the in-flight rule); at most a few are kept per class, the rest closed.
 */
final class BufferPool implements AutoCloseable {
    private static final int MIN_SHIFT = 16;
    private static final int CLASSES = 31 - MIN_SHIFT;
    private static final int KEEP = 8;

    private final DiskIo io;
    @SuppressWarnings("unchecked")
    private final ConcurrentLinkedDeque<IoBuffer>[] free = new ConcurrentLinkedDeque[CLASSES];
    private final AtomicInteger[] kept = new AtomicInteger[CLASSES];
    @SuppressWarnings("unchecked")
    private final ConcurrentLinkedDeque<byte[]>[] freeHeap = new ConcurrentLinkedDeque[CLASSES];
    private final AtomicInteger[] keptHeap = new AtomicInteger[CLASSES];
    private volatile boolean closed;

    BufferPool(DiskIo io) {
        this.io = io;
        for (int i = 0; i < CLASSES; i++) {
            free[i] = new ConcurrentLinkedDeque<>();
            kept[i] = new AtomicInteger();
            freeHeap[i] = new ConcurrentLinkedDeque<>();
            keptHeap[i] = new AtomicInteger();
        }
    }

    private static int classOf(int size) {
        int shift = 32 - Integer.numberOfLeadingZeros(Math.max(size, 1 << MIN_SHIFT) - 1);
        return shift - MIN_SHIFT;
    }

    /** A buffer of at least {@code size} bytes, its limit set to {@code size}. */
    IoBuffer take(int size) {
        int c = classOf(size);
        IoBuffer b = free[c].pollFirst();
        if (b != null) {
            kept[c].decrementAndGet();
        } else {
            b = io.allocate(1 << (c + MIN_SHIFT));
        }
        return b.limit(size);
    }

    /** Gives a buffer back (it must not be in flight). */
    void give(IoBuffer b) {
        if (b.isClosed()) {
            return;
        }
        int c = classOf(b.capacity());
        boolean pooled = b.capacity() == 1 << (c + MIN_SHIFT);
        if (!closed && pooled) {
            if (kept[c].incrementAndGet() <= KEEP) {
                free[c].addFirst(b);
                if (closed && free[c].remove(b)) {
                    b.close();
                }
                return;
            }
            kept[c].decrementAndGet();
        }
        b.close();
    }

    /**
     * A heap array of at least {@code size} bytes for a fetch result. Heap arrays are pooled too
     * (large ones are humongous objects for G1), but one that is never given back is only garbage.
     */
    byte[] takeHeap(int size) {
        int c = classOf(size);
        byte[] b = freeHeap[c].pollFirst();
        if (b != null) {
            keptHeap[c].decrementAndGet();
            return b;
        }
        return new byte[1 << (c + MIN_SHIFT)];
    }

    void giveHeap(byte[] b) {
        int c = classOf(b.length);
        if (!closed && b.length == 1 << (c + MIN_SHIFT)) {
            if (keptHeap[c].incrementAndGet() <= KEEP) {
                freeHeap[c].addFirst(b);
                return;
            }
            keptHeap[c].decrementAndGet();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (ConcurrentLinkedDeque<IoBuffer> q : free) {
            IoBuffer b;
            while ((b = q.pollFirst()) != null) {
                b.close();
            }
        }
    }
}
