package dev.logcore.io.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.IoBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BufferPoolTest {

    @Test
    void buffersArePageAlignedZeroedTaggedAndReturnedWhenClosed() {
        BufferPool pool = new BufferPool(1 << 20);
        IoBuffer a = pool.allocate(100);
        assertNotNull(a);
        assertSame(pool, a.regionTag());
        assertTrue(a.isAligned(IoBuffer.PAGE_SIZE));
        assertEquals(100, a.capacity());
        a.fill(0, 100, (byte) 7);
        a.close();
        assertEquals(0, pool.pagesInUse());
        IoBuffer b = pool.allocate(100);
        assertEquals(0, b.getByte(0), "reused memory is zeroed");
        long addr = b.segment().address();
        assertEquals(0, pool.indexOf(addr, 100));
        assertEquals(-1, pool.indexOf(addr - 4096, 100), "before the pool");
        b.close();
        pool.engineDone();
    }

    @Test
    void aFullPoolSaysSoAndFreedPagesAreReused() {
        BufferPool pool = new BufferPool(16 * 4096);
        List<IoBuffer> bufs = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            bufs.add(pool.allocate(4096));
        }
        assertNull(pool.allocate(1), "no room left");
        bufs.get(3).close();
        bufs.get(4).close();
        IoBuffer two = pool.allocate(8192);
        assertNotNull(two, "two adjacent free pages make room for 8 KiB");
        assertNull(pool.allocate(4096));
        two.close();
        bufs.forEach(IoBuffer::close);
        assertEquals(0, pool.pagesInUse());
        pool.engineDone();
    }

    @Test
    void theMemoryOutlivesTheEngineWhileABufferIsOpen() {
        BufferPool pool = new BufferPool(1 << 20);
        IoBuffer b = pool.allocate(4096);
        pool.engineDone(); // the engine closed
        b.putLong(0, 42); // still valid memory
        assertEquals(42, b.getLong(0));
        assertNull(pool.allocate(4096), "a closed engine's pool hands out nothing");
        b.close(); // now the memory goes
    }
}
