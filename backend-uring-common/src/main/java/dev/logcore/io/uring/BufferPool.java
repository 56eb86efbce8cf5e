package dev.logcore.io.uring;

import dev.logcore.io.IoBuffer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;

/**
 * The registered buffer pool: one page-aligned native region registered with the kernel
 * ({@code IORING_REGISTER_BUFFERS}, one buffer index per GiB), carved into page-granular buffers
 * that {@code DiskIo.allocate} hands out. Reads and writes through them use READ_FIXED and
 * WRITE_FIXED, which skip the kernel's per-I/O page pinning.
 *
 * <p>The memory lives as long as the engine or any buffer cut from it, whichever is longer: a
 * caller may keep a buffer after the engine closed, so the region is freed when both the engine
 * ({@link #engineDone()}) and the last buffer let go. If the kernel never gave an operation back, the
 * engine never releases the pool (a leak, never a use-after-free).
 *
 * <p>A first-fit page bitmap under a lock: allocation is not on the I/O hot path (callers allocate
 * buffers once and reuse them), and a bitmap keeps the pool compact with no per-buffer metadata.
 */
final class BufferPool {
    static final long CHUNK = 1L << 30; // the kernel's limit for one registered buffer
    private static final int PAGE = IoBuffer.PAGE_SIZE;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory;
    private final long base;
    private final int pages;
    private final int pagesPerChunk = (int) (CHUNK / PAGE);
    private final BitSet used;
    /** The engine's reference plus one per live buffer. */
    private int refs = 1;
    private boolean freed;
    private boolean engineGone;

    BufferPool(long bytes) {
        long size = (bytes + PAGE - 1) / PAGE * PAGE;
        this.memory = arena.allocate(size, PAGE);
        this.base = memory.address();
        this.pages = (int) (size / PAGE);
        this.used = new BitSet(pages);
    }

    /** The regions to register: buffer index i covers bytes [i GiB, (i+1) GiB). */
    MemorySegment[] regions() {
        int n = (int) ((memory.byteSize() + CHUNK - 1) / CHUNK);
        MemorySegment[] out = new MemorySegment[n];
        for (int i = 0; i < n; i++) {
            long off = i * CHUNK;
            out[i] = memory.asSlice(off, Math.min(CHUNK, memory.byteSize() - off));
        }
        return out;
    }

    long byteSize() {
        return memory.byteSize();
    }

    /** A zeroed buffer of exactly {@code capacity} bytes from the pool, or {@code null} if it has no room. */
    IoBuffer allocate(int capacity) {
        int n = (int) ((capacity + (long) PAGE - 1) / PAGE);
        int at;
        synchronized (this) {
            if (freed || engineGone) {
                return null;
            }
            at = find(n);
            if (at < 0) {
                return null;
            }
            used.set(at, at + n);
            refs++;
        }
        MemorySegment slice = memory.asSlice((long) at * PAGE, capacity);
        slice.fill((byte) 0);
        int first = at;
        return IoBuffer.ofRegion(slice, this, () -> free(first, n));
    }

    /** First fit that does not cross a registered-buffer (GiB) boundary. */
    private int find(int n) {
        int from = 0;
        while (from < pages) {
            int start = used.nextClearBit(from);
            if (start >= pages) {
                return -1;
            }
            int chunkEnd = Math.min(pages, (start / pagesPerChunk + 1) * pagesPerChunk);
            if (start + n > chunkEnd) {
                from = chunkEnd;
                continue;
            }
            int end = used.nextSetBit(start);
            if (end < 0 || end >= start + n) {
                return start;
            }
            from = end;
        }
        return -1;
    }

    private void free(int first, int n) {
        synchronized (this) {
            used.clear(first, first + n);
        }
        release();
    }

    /**
     * The registered buffer index of {@code [address, address+length)}, or -1 if that memory is not
     * wholly inside one registered buffer of this pool.
     */
    int indexOf(long address, long length) {
        long off = address - base;
        if (off < 0 || length < 0 || off + length > memory.byteSize()) {
            return -1;
        }
        long idx = off / CHUNK;
        if (length > 0 && (off + length - 1) / CHUNK != idx) {
            return -1;
        }
        return (int) idx;
    }

    /** The engine is done with the pool: no more allocations; freed once the last buffer is closed. */
    void engineDone() {
        synchronized (this) {
            if (engineGone) {
                return;
            }
            engineGone = true;
        }
        release();
    }

    /** Drops one reference (a buffer's, or the engine's through {@link #engineDone()}); freed at zero. */
    private void release() {
        boolean free;
        synchronized (this) {
            if (refs == 0) {
                return;
            }
            free = --refs == 0;
            freed |= free;
        }
        if (free) {
            arena.close();
        }
    }

    /** Pages in use now (tests). */
    synchronized int pagesInUse() {
        return used.cardinality();
    }
}
