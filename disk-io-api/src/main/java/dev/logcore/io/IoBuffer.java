package dev.logcore.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An owned, page-aligned block of off-heap memory that I/O operations read into and write from.
 *
 * <p><b>The in-flight rule.</b> Handing a buffer to an operation moves it <em>in flight</em>: from
 * then until the operation's completion every access by the caller throws
 * {@link IllegalStateException}, including through a {@link #segment()} or {@link #asByteBuffer()}
 * view taken before (those views are invalidated at submission). Closing a buffer that is in flight
 * only marks it; the memory is freed when the operation completes, because the kernel may still be
 * writing into it. The completion hands the buffer back: when an operation's future completes, in
 * any way, the buffers it held are owned by the caller again. This is the Java form of io_uring's
 * rule that the kernel must never touch freed or reused memory.
 *
 * <p>A buffer has a {@link #capacity()} and a {@link #limit()}: writes send bytes
 * {@code [0, limit)}, reads fill up to {@code limit} bytes from index 0. The limit starts at the
 * capacity. Multi-byte accessors are big-endian (network order), like the formats built on them.
 *
 * <p>A buffer belongs to one owner at a time; it is not safe for concurrent use by several threads
 * (the engine's hand-off at submission and completion is safe). {@link #splitOff(int)} cuts a buffer
 * into two independently owned buffers over disjoint memory, which then go in flight separately.
 * The memory is freed when every piece is closed.
 *
 * <p>Providers use {@link #beginIo()} and {@link #endIo()} to take and give back ownership; callers
 * never need them.
 */
public final class IoBuffer implements AutoCloseable {
    /** The alignment of every buffer's memory: one page. */
    public static final int PAGE_SIZE = 4096;

    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static final int OWNED = 0;
    private static final int IN_FLIGHT = 1;
    private static final int CLOSED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(IoBuffer.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Region region;
    private MemorySegment memory;
    private volatile int state;
    private volatile boolean closeRequested;
    private int limit;
    /** Scope of the views handed out by segment(); closed at submission so stale views fail. */
    private Arena viewArena;

    private IoBuffer(Region region, MemorySegment memory) {
        this.region = region;
        this.memory = memory;
        this.limit = Math.toIntExact(memory.byteSize());
    }

    /**
     * Allocates a page-aligned buffer of exactly {@code capacity} bytes, zero-filled, from the
     * JVM's native memory. Engines may hand out buffers of their own (registered with the kernel,
     * for instance) through {@link DiskIo#allocate(int)}; every engine accepts every buffer.
     *
     * @throws IllegalArgumentException if {@code capacity} is not positive
     */
    public static IoBuffer allocate(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("buffer capacity must be positive, was " + capacity);
        }
        Arena arena = Arena.ofShared();
        MemorySegment mem = arena.allocate(capacity, PAGE_SIZE);
        return new IoBuffer(new Region(null, arena::close), mem);
    }

    /**
     * For providers: wraps memory that the provider owns (a slice of a pool registered with the
     * kernel, for instance). {@code onFree} runs once, when every piece of the buffer is closed and
     * no operation holds it; {@code tag} lets the provider recognise its own memory later.
     */
    public static IoBuffer ofRegion(MemorySegment memory, Object tag, Runnable onFree) {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(onFree, "onFree");
        if (memory.byteSize() <= 0 || memory.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("region size out of range: " + memory.byteSize());
        }
        if (!memory.isNative()) {
            throw new IllegalArgumentException("I/O buffers must be native memory");
        }
        return new IoBuffer(new Region(tag, onFree), memory);
    }

    /** The number of bytes this buffer holds. Readable in any state. */
    public int capacity() {
        return (int) memory.byteSize();
    }

    /** The number of bytes a write sends and a read may fill. */
    public int limit() {
        checkOwned();
        return limit;
    }

    /**
     * Sets the limit.
     *
     * @throws IllegalArgumentException if it is negative or above the capacity
     */
    public IoBuffer limit(int newLimit) {
        checkOwned();
        if (newLimit < 0 || newLimit > capacity()) {
            throw new IllegalArgumentException("limit " + newLimit + " outside [0, " + capacity() + "]");
        }
        this.limit = newLimit;
        return this;
    }

    /** Whether an operation holds the buffer now. */
    public boolean isInFlight() {
        return state == IN_FLIGHT;
    }

    /** Whether the caller owns the buffer now (not in flight, not closed). */
    public boolean isOwned() {
        return state == OWNED;
    }

    /** Whether the buffer is closed; its memory may be freed already, or when its operation ends. */
    public boolean isClosed() {
        return state == CLOSED || closeRequested;
    }

    public byte getByte(int index) {
        checkOwned();
        return memory.get(ValueLayout.JAVA_BYTE, index);
    }

    public IoBuffer putByte(int index, byte value) {
        checkOwned();
        memory.set(ValueLayout.JAVA_BYTE, index, value);
        return this;
    }

    public short getShort(int index) {
        checkOwned();
        return memory.get(SHORT, index);
    }

    public IoBuffer putShort(int index, short value) {
        checkOwned();
        memory.set(SHORT, index, value);
        return this;
    }

    public int getInt(int index) {
        checkOwned();
        return memory.get(INT, index);
    }

    public IoBuffer putInt(int index, int value) {
        checkOwned();
        memory.set(INT, index, value);
        return this;
    }

    public long getLong(int index) {
        checkOwned();
        return memory.get(LONG, index);
    }

    public IoBuffer putLong(int index, long value) {
        checkOwned();
        memory.set(LONG, index, value);
        return this;
    }

    /** Copies {@code length} bytes from index {@code index} into {@code dst[offset..]}. */
    public IoBuffer get(int index, byte[] dst, int offset, int length) {
        checkOwned();
        Objects.checkFromIndexSize(offset, length, dst.length);
        MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, index, dst, offset, length);
        return this;
    }

    /** Copies {@code src[offset..offset+length)} into this buffer at {@code index}. */
    public IoBuffer put(int index, byte[] src, int offset, int length) {
        checkOwned();
        Objects.checkFromIndexSize(offset, length, src.length);
        MemorySegment.copy(src, offset, memory, ValueLayout.JAVA_BYTE, index, length);
        return this;
    }

    /** Copies all of {@code src} into this buffer at {@code index}. */
    public IoBuffer put(int index, byte[] src) {
        return put(index, src, 0, src.length);
    }

    /** Copies the remaining bytes of {@code src} into this buffer at {@code index}, advancing src. */
    public IoBuffer put(int index, ByteBuffer src) {
        checkOwned();
        int n = src.remaining();
        MemorySegment.copy(MemorySegment.ofBuffer(src), 0, memory, index, n);
        src.position(src.position() + n);
        return this;
    }

    /** Copies bytes from this buffer at {@code index} into the remaining space of {@code dst}. */
    public IoBuffer get(int index, ByteBuffer dst) {
        checkOwned();
        int n = dst.remaining();
        MemorySegment.copy(memory, index, MemorySegment.ofBuffer(dst), 0, n);
        dst.position(dst.position() + n);
        return this;
    }

    /** Copies {@code length} bytes from {@code src} at {@code srcIndex} into this buffer at {@code index}. */
    public IoBuffer put(int index, IoBuffer src, int srcIndex, int length) {
        checkOwned();
        src.checkOwned();
        MemorySegment.copy(src.memory, srcIndex, memory, index, length);
        return this;
    }

    /** Sets bytes {@code [from, to)} to {@code value}. */
    public IoBuffer fill(int from, int to, byte value) {
        checkOwned();
        Objects.checkFromToIndex(from, to, capacity());
        memory.asSlice(from, to - from).fill(value);
        return this;
    }

    /** A copy of bytes {@code [from, from+length)} as a new array. */
    public byte[] toArray(int from, int length) {
        byte[] out = new byte[length];
        get(from, out, 0, length);
        return out;
    }

    /**
     * A view of the whole buffer as a memory segment, for zero-copy encoders and checksums. The view
     * is invalidated when the buffer goes in flight or is closed: any later access through it throws
     * {@link IllegalStateException}. Take a fresh view after each completion.
     */
    public MemorySegment segment() {
        checkOwned();
        if (viewArena == null) {
            viewArena = Arena.ofShared();
        }
        return memory.reinterpret(viewArena, null);
    }

    /**
     * A direct {@link ByteBuffer} over bytes {@code [0, limit)}, invalidated like {@link #segment()}.
     */
    public ByteBuffer asByteBuffer() {
        int lim = limit();
        return segment().asSlice(0, lim).asByteBuffer();
    }

    /**
     * Whether the buffer's first byte sits at a multiple of {@code alignment} (a power of two). Every
     * buffer from {@link #allocate} is page-aligned; pieces from {@link #splitOff} may not be.
     */
    public boolean isAligned(int alignment) {
        if (alignment <= 0 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two: " + alignment);
        }
        return (memory.address() & (alignment - 1)) == 0;
    }

    /** For providers: the tag given to {@link #ofRegion}, or {@code null} for heap-allocated buffers. */
    public Object regionTag() {
        return region.tag;
    }

    /**
     * For providers: moves the buffer in flight and returns the native address of its first byte.
     * Views taken by {@link #segment()} are invalidated.
     *
     * @throws IllegalStateException if the buffer is already in flight or is closed
     */
    public long beginIo() {
        if (!STATE.compareAndSet(this, OWNED, IN_FLIGHT)) {
            checkOwned();
            throw new IllegalStateException("IoBuffer changed state during submission");
        }
        if (closeRequested) {
            // close() raced with us; undo so the close completes normally.
            endIo();
            throw new IllegalStateException("IoBuffer is closed");
        }
        try {
            invalidateViews();
        } catch (IllegalStateException busy) {
            STATE.setVolatile(this, OWNED);
            throw new IllegalStateException("IoBuffer is being accessed through a view by another thread", busy);
        }
        return memory.address();
    }

    /**
     * For providers: the memory {@code [0, limit)} of a buffer that is in flight, for the engine's
     * own use while the operation runs.
     *
     * @throws IllegalStateException if the buffer is not in flight
     */
    public MemorySegment ioSegment() {
        if (state != IN_FLIGHT) {
            throw new IllegalStateException("ioSegment() is for providers, on a buffer in flight");
        }
        return memory.asSlice(0, limit);
    }

    /**
     * For providers: gives the buffer back after the kernel (or the worker thread) is done with it.
     * If the caller closed it meanwhile, the memory is freed now.
     */
    public void endIo() {
        if (!STATE.compareAndSet(this, IN_FLIGHT, OWNED)) {
            throw new IllegalStateException("endIo on a buffer that is not in flight");
        }
        if (closeRequested && STATE.compareAndSet(this, OWNED, CLOSED)) {
            region.release();
        }
    }

    /**
     * Splits off bytes {@code [at, capacity)} into a new buffer with its own ownership; this buffer
     * keeps {@code [0, at)}. Both must be closed for the memory to be freed.
     *
     * @throws IllegalArgumentException if {@code at} is not inside {@code (0, capacity)}
     */
    public IoBuffer splitOff(int at) {
        checkOwned();
        int cap = capacity();
        if (at <= 0 || at >= cap) {
            throw new IllegalArgumentException("split point " + at + " outside (0, " + cap + ")");
        }
        invalidateViews();
        region.retain();
        IoBuffer tail = new IoBuffer(region, memory.asSlice(at, cap - at));
        memory = memory.asSlice(0, at);
        limit = Math.min(limit, at);
        return tail;
    }

    /**
     * Closes the buffer. In flight, the memory is freed when the operation completes; otherwise now
     * (or when the last piece of a split buffer is closed). Closing twice is harmless.
     */
    @Override
    public void close() {
        closeRequested = true;
        if (STATE.compareAndSet(this, OWNED, CLOSED)) {
            invalidateViews();
            region.release();
        }
    }

    private void invalidateViews() {
        Arena views = viewArena;
        if (views != null) {
            views.close();
            viewArena = null;
        }
    }

    private void checkOwned() {
        int s = state;
        if (s != OWNED || closeRequested) {
            throw new IllegalStateException(s == IN_FLIGHT
                    ? "IoBuffer is in flight: an operation owns it until its completion"
                    : "IoBuffer is closed");
        }
    }

    @Override
    public String toString() {
        String s = switch (state) {
            case OWNED -> "owned";
            case IN_FLIGHT -> "in flight";
            default -> "closed";
        };
        return "IoBuffer[capacity=" + capacity() + ", " + s + "]";
    }

    /** The memory shared by a buffer and the pieces split off it; freed when all are closed. */
    private static final class Region {
        final Object tag;
        final Runnable onFree;
        final AtomicInteger refs = new AtomicInteger(1);

        Region(Object tag, Runnable onFree) {
            this.tag = tag;
            this.onFree = onFree;
        }

        void retain() {
            refs.incrementAndGet();
        }

        void release() {
            if (refs.decrementAndGet() == 0) {
                onFree.run();
            }
        }
    }
}
