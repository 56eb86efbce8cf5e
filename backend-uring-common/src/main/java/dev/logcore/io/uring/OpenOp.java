package dev.logcore.io.uring;

import dev.logcore.io.DiskFile;
import dev.logcore.io.Errno;
import dev.logcore.io.OpKind;
import dev.logcore.io.OpenFlag;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Set;

/**
 * Opening a file: OPENAT (or open(2) on the fallback thread), then, when the fixed file table has
 * a free slot, FILES_UPDATE to install the descriptor there. The path is copied into native memory
 * the kernel reads until the completion.
 */
final class OpenOp extends RingOp<DiskFile> {
    private static final ValueLayout.OfInt S32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int OPENING = 0;
    private static final int REGISTERING = 1;

    private final Path filePath;
    private final Set<OpenFlag> flags;
    private final byte[] name;
    private final int openFlags;
    private final boolean stream;
    private final int alignment;
    private int phase = OPENING;
    private int fd = -1;
    private int slot = -1;
    private MemorySegment scratch;

    OpenOp(RingEngine engine, Path path, Set<OpenFlag> flags, byte[] name, int openFlags, boolean stream, int alignment) {
        super(engine, OpKind.OPEN, null);
        this.filePath = path;
        this.flags = flags;
        this.name = name;
        this.openFlags = openFlags;
        this.stream = stream;
        this.alignment = alignment;
    }

    @Override
    Path path() {
        return filePath;
    }

    @Override
    boolean blocking() {
        return phase == OPENING && !engine.loop.hasOpenat;
    }

    @Override
    void prepare(RingLoop ring) {
        if (phase == OPENING) {
            scratch = ring.scratch().take(name.length + 1);
            MemorySegment.copy(name, 0, scratch, ValueLayout.JAVA_BYTE, 0, name.length); // NUL: take() zeroes
            ring.put(this, 0, Sqe.OP_OPENAT, 0, Sqe.AT_FDCWD, 0, scratch.address(), 0666, openFlags, 0);
        } else {
            slot = ring.takeFileSlot();
            if (slot < 0) {
                done(); // the table is full: the file works through its plain descriptor
                return;
            }
            scratch = ring.scratch().take(4);
            scratch.set(S32, 0, fd);
            ring.put(this, 0, Sqe.OP_FILES_UPDATE, 0, -1, slot, scratch.address(), 1, 0, 0);
        }
    }

    @Override
    int complete(RingLoop ring, int part, int res) {
        ring.scratch().give(scratch);
        scratch = null;
        if (phase == OPENING) {
            if (res < 0) {
                return fail(res);
            }
            fd = res;
            return afterOpen(ring.filesRegistered());
        }
        if (res < 0) {
            ring.giveFileSlot(slot); // the descriptor still works without the slot
            slot = -1;
        }
        return done();
    }

    @Override
    int runBlocking() {
        int r;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(name.length + 1L);
            MemorySegment.copy(name, 0, p, ValueLayout.JAVA_BYTE, 0, name.length);
            r = engine.kernel().openFile(p, openFlags, 0666);
        }
        engine.stats.systemCall(1);
        if (r < 0) {
            return fail(r);
        }
        fd = r;
        return afterOpen(engine.loop.filesRegistered());
    }

    private int afterOpen(boolean registerNext) {
        if (registerNext) {
            phase = REGISTERING;
            return AGAIN;
        }
        return done();
    }

    private int done() {
        if (engine.isClosed()) {
            return fail(Errno.ESHUTDOWN, "the engine closed while the file was opening");
        }
        RingFile f = new RingFile(engine, filePath, flags, fd, slot, alignment, stream);
        engine.fileOpened(f);
        fd = -1; // handed out
        return succeed(f);
    }

    /** A descriptor opened for an open that then failed (engine closing) is closed, not leaked. */
    @Override
    void release() {
        if (fd >= 0) {
            engine.kernel().closeFile(fd);
            fd = -1;
        }
    }

    @Override
    void freeScratch(Scratch s) {
        s.give(scratch);
        scratch = null;
    }
}
