package dev.logcore.conformance;

import static dev.logcore.conformance.Target.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.DiskFile;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.IoFuture;
import dev.logcore.io.OpenFlag;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-flight rule. A read from an empty FIFO holds its buffer for as long as the test wants, so
 * the rule is observed on a buffer the engine really holds.
 */
class OwnershipTest {

    static void feed(Path fifo, byte[] data) {
        try (FileOutputStream out = new FileOutputStream(fifo.toFile())) {
            out.write(data);
        } catch (IOException e) {
            throw new AssertionError("writing the FIFO failed: " + e, e);
        }
    }

    @ConformanceTest(modes = Mode.BUFFERED)
    void everyAccessToABufferInFlightThrows(Target t) {
        Path fifo = t.fifo("hold.fifo");
        DiskFile f = t.openPath(fifo, OpenFlag.READ, OpenFlag.WRITE);
        IoBuffer b = t.engine().allocate(4096);
        b.limit(5);
        MemorySegment staleView = b.segment();
        ByteBuffer staleBuffer = b.asByteBuffer();
        IoFuture<Integer> read = f.read(b, 0);

        assertTrue(b.isInFlight());
        assertFalse(b.isOwned());
        assertThrows(IllegalStateException.class, () -> b.getByte(0));
        assertThrows(IllegalStateException.class, () -> b.putByte(0, (byte) 1));
        assertThrows(IllegalStateException.class, () -> b.getInt(0));
        assertThrows(IllegalStateException.class, () -> b.putLong(0, 1L));
        assertThrows(IllegalStateException.class, () -> b.put(0, new byte[3]));
        assertThrows(IllegalStateException.class, () -> b.get(0, new byte[3], 0, 3));
        assertThrows(IllegalStateException.class, b::limit);
        assertThrows(IllegalStateException.class, () -> b.limit(1));
        assertThrows(IllegalStateException.class, b::segment);
        assertThrows(IllegalStateException.class, b::asByteBuffer);
        assertThrows(IllegalStateException.class, () -> b.splitOff(10));
        assertThrows(IllegalStateException.class, () -> staleView.get(ValueLayout.JAVA_BYTE, 0),
                "a view taken before submission is dead while the buffer is in flight");
        assertThrows(IllegalStateException.class, () -> staleBuffer.get(0),
                "a ByteBuffer taken before submission is dead while the buffer is in flight");
        assertThrows(IllegalStateException.class, () -> f.read(b, 0), "an in-flight buffer cannot be submitted again");
        assertThrows(IllegalStateException.class, () -> f.writev(List.of(b), 0));
        assertFalse(read.isDone());

        feed(fifo, "hello".getBytes());
        assertEquals(5, await(read));
        assertTrue(b.isOwned(), "the completion gives the buffer back");
        assertArrayEquals("hello".getBytes(), b.toArray(0, 5));
        assertEquals((byte) 'h', b.segment().get(ValueLayout.JAVA_BYTE, 0), "a fresh view works after the completion");
        await(f.close());
    }

    @ConformanceTest(modes = Mode.BUFFERED)
    void closingABufferInFlightFreesItOnlyAfterTheCompletion(Target t) {
        Path fifo = t.fifo("free.fifo");
        DiskFile f = t.openPath(fifo, OpenFlag.READ, OpenFlag.WRITE);
        AtomicInteger freed = new AtomicInteger();
        Arena arena = Arena.ofShared();
        IoBuffer b = IoBuffer.ofRegion(arena.allocate(8192, IoBuffer.PAGE_SIZE), "test", () -> {
            freed.incrementAndGet();
            arena.close();
        });
        b.limit(3);
        IoFuture<Integer> read = f.read(b, 0);
        b.close();
        assertTrue(b.isClosed());
        assertEquals(0, freed.get(), "memory the kernel may still write must not be freed");
        feed(fifo, "abc".getBytes());
        assertEquals(3, await(read));
        assertEquals(1, freed.get(), "freed exactly once, after the completion");
        assertThrows(IllegalStateException.class, () -> b.getByte(0), "a closed buffer stays unusable");
        b.close();
        assertEquals(1, freed.get(), "closing again frees nothing twice");
        await(f.close());
    }

    @ConformanceTest(modes = Mode.BUFFERED)
    void piecesOfASplitBufferAreOwnedApart(Target t) {
        Path fifo = t.fifo("split.fifo");
        DiskFile f = t.openPath(fifo, OpenFlag.READ, OpenFlag.WRITE);
        AtomicInteger freed = new AtomicInteger();
        Arena arena = Arena.ofShared();
        IoBuffer head = IoBuffer.ofRegion(arena.allocate(8192, IoBuffer.PAGE_SIZE), "test", () -> {
            freed.incrementAndGet();
            arena.close();
        });
        IoBuffer tail = head.splitOff(4096);
        assertEquals(4096, head.capacity());
        assertEquals(4096, tail.capacity());
        tail.limit(2);
        IoFuture<Integer> read = f.read(tail, 0);
        head.putInt(0, 42); // the other piece stays usable
        assertEquals(42, head.getInt(0));
        head.close();
        assertEquals(0, freed.get(), "one piece is still in flight");
        tail.close();
        assertEquals(0, freed.get());
        feed(fifo, "ok".getBytes());
        assertEquals(2, await(read));
        assertEquals(1, freed.get(), "the memory is freed when the last piece is let go");
        await(f.close());
    }
}
