package dev.logcore.io.uring;

import dev.logcore.io.IoBuffer;
import dev.logcore.io.OpKind;
import java.lang.foreign.MemorySegment;

/**
 * A positional read or write of one buffer, resumed after a short transfer: the part both share
 * (which opcode reaches the kernel, the registered-buffer lookup, the one-entry iovec of the
 * vectored fallback); {@link ReadOp} and {@link WriteOp} decide what a completion means.
 */
abstract class BufferOp extends RingOp<Integer> {
    private final IoBuffer buf;
    private final long address;
    final int want;
    private final long offset;
    /** The registered buffer index; -2 until looked up, -1 when the memory is not registered. */
    private int bufIndex = -2;
    private MemorySegment iov;

    BufferOp(RingFile file, OpKind kind, IoBuffer buf, long address, int want, long offset) {
        super(file.engine, kind, file);
        this.buf = buf;
        this.address = address;
        this.want = want;
        this.offset = offset;
    }

    /**
     * Puts the SQE for the bytes not moved yet: the fixed opcode for the engine's registered
     * memory when the kernel has it, else the plain one, else the vectored one with one iovec.
     */
    final void putRest(RingLoop ring, boolean hasFixed, int fixedOp, boolean hasPlain, int plainOp, int vectoredOp) {
        int done = (int) bytes;
        long addr = address + done;
        int len = want - done;
        long off = file.sqeOffset(offset + done);
        if (bufIndex == -2) {
            bufIndex = hasFixed ? ring.bufferIndex(buf.regionTag(), address, want) : -1;
        }
        if (bufIndex >= 0) {
            ring.put(this, 0, fixedOp, file.sqeFlags(), file.sqeFd(), off, addr, len, 0, bufIndex);
        } else if (hasPlain) {
            ring.put(this, 0, plainOp, file.sqeFlags(), file.sqeFd(), off, addr, len, 0, 0);
        } else {
            if (iov == null) {
                iov = ring.scratch().take(Sqe.IOVEC_SIZE);
            }
            Sqe.iovec(iov, 0, addr, len);
            ring.put(this, 0, vectoredOp, file.sqeFlags(), file.sqeFd(), off, iov.address(), 1, 0, 0);
        }
    }

    @Override
    final void release() {
        buf.endIo();
    }

    @Override
    final void freeScratch(Scratch scratch) {
        scratch.give(iov);
        iov = null;
    }
}
