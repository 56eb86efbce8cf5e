package dev.logcore.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IoBufferTest {

    private static IoBuffer counted(int size, AtomicInteger freed) {
        Arena arena = Arena.ofShared();
        return IoBuffer.ofRegion(arena.allocate(size, IoBuffer.PAGE_SIZE), "t", () -> {
            freed.incrementAndGet();
            arena.close();
        });
    }

    @Test
    void allocationIsPageAlignedZeroedAndSizedExactly() {
        try (IoBuffer b = IoBuffer.allocate(10_000)) {
            assertEquals(10_000, b.capacity());
            assertEquals(10_000, b.limit());
            assertTrue(b.isAligned(IoBuffer.PAGE_SIZE));
            assertArrayEquals(new byte[10_000], b.toArray(0, 10_000));
        }
    }

    @Test
    void accessorsAreBigEndianAndBoundsChecked() {
        try (IoBuffer b = IoBuffer.allocate(64)) {
            b.putInt(0, 0x01020304).putLong(8, 0x0102030405060708L).putShort(20, (short) 0x0A0B);
            assertEquals(1, b.getByte(0));
            assertEquals(4, b.getByte(3));
            assertEquals(0x0102030405060708L, b.getLong(8));
            assertEquals((short) 0x0A0B, b.getShort(20));
            assertThrows(IndexOutOfBoundsException.class, () -> b.getLong(60));
            assertThrows(IndexOutOfBoundsException.class, () -> b.putByte(64, (byte) 0));
            assertThrows(IndexOutOfBoundsException.class, () -> b.put(60, new byte[8]));
            assertThrows(IndexOutOfBoundsException.class, () -> b.get(0, new byte[4], 2, 4));
            ByteBuffer src = ByteBuffer.wrap(new byte[] {9, 8, 7});
            b.put(30, src);
            assertEquals(3, src.position());
            assertEquals(7, b.getByte(32));
            assertThrows(IllegalArgumentException.class, () -> b.limit(65));
            assertThrows(IllegalArgumentException.class, () -> b.limit(-1));
        }
    }

    @Test
    void inFlightBlocksEveryAccessUntilEndIo() {
        try (IoBuffer b = IoBuffer.allocate(4096)) {
            MemorySegment view = b.segment();
            ByteBuffer bb = b.asByteBuffer();
            long addr = b.beginIo();
            assertEquals(view.address(), addr);
            assertTrue(b.isInFlight());
            assertThrows(IllegalStateException.class, () -> b.getByte(0));
            assertThrows(IllegalStateException.class, () -> view.get(ValueLayout.JAVA_BYTE, 0));
            assertThrows(IllegalStateException.class, () -> bb.get(0));
            assertThrows(IllegalStateException.class, b::beginIo, "a buffer cannot go in flight twice");
            assertEquals(4096, b.ioSegment().byteSize(), "the provider sees the memory");
            b.endIo();
            assertTrue(b.isOwned());
            assertThrows(IllegalStateException.class, b::endIo);
            assertThrows(IllegalStateException.class, b::ioSegment);
            b.putByte(0, (byte) 1);
            assertEquals(1, b.segment().get(ValueLayout.JAVA_BYTE, 0));
        }
    }

    @Test
    void closeInFlightFreesAtEndIoExactlyOnce() {
        AtomicInteger freed = new AtomicInteger();
        IoBuffer b = counted(4096, freed);
        b.beginIo();
        b.close();
        assertTrue(b.isClosed());
        assertEquals(0, freed.get());
        b.endIo();
        assertEquals(1, freed.get());
        b.close();
        assertEquals(1, freed.get());
        assertThrows(IllegalStateException.class, () -> b.getByte(0));
        assertThrows(IllegalStateException.class, b::beginIo);
    }

    @Test
    void splitPiecesAreOwnedApartAndFreedTogether() {
        AtomicInteger freed = new AtomicInteger();
        IoBuffer a = counted(8192, freed);
        a.putByte(5000, (byte) 42);
        IoBuffer b = a.splitOff(4096);
        assertEquals(4096, a.capacity());
        assertEquals(4096, b.capacity());
        assertEquals(42, b.getByte(5000 - 4096), "the split keeps the bytes where they were");
        IoBuffer c = b.splitOff(1);
        assertFalse(c.isAligned(512), "a piece split at 1 is misaligned");
        b.beginIo();
        c.putByte(0, (byte) 1);
        a.close();
        c.close();
        assertEquals(0, freed.get());
        b.endIo();
        b.close();
        assertEquals(1, freed.get());
        assertThrows(IllegalArgumentException.class, () -> IoBuffer.allocate(10).splitOff(10));
        assertThrows(IllegalArgumentException.class, () -> IoBuffer.allocate(10).splitOff(0));
    }

    @Test
    void racingCloseAndEndIoFreeExactlyOnce() throws Exception {
        for (int i = 0; i < 2000; i++) {
            AtomicInteger freed = new AtomicInteger();
            IoBuffer b = counted(4096, freed);
            b.beginIo();
            Thread t = Thread.ofPlatform().start(b::endIo);
            b.close();
            t.join();
            assertEquals(1, freed.get(), "iteration " + i);
        }
    }
}
