package dev.logcore.io.uring;

import dev.logcore.io.IoBuffer;
import dev.logcore.io.OpKind;
import java.lang.foreign.MemorySegment;

/**
 * A positional read into one buffer: READ_FIXED for the engine's registered memory, READ
 * otherwise (READV where the kernel has no READ). A short read of a regular file is continued
 * until the end of the file, so a read is short only there.
 */
final class ReadOp extends RingOp<Integer> {
    private final IoBuffer buf;
    private final long address;
    private final int want;
    private final long offset;
    /** The registered buffer index; -2 until looked up. */
    private int bufIndex = -2;
    private MemorySegment iov;

    ReadOp(RingFile file, IoBuffer buf, long address, int want, long offset) {
        super(file.engine, OpKind.READ, file);
        this.buf = buf;
        this.address = address;
        this.want = want;
        this.offset = offset;
    }

    @Override
    void prepare(RingLoop ring) {
        int done = (int) bytes;
        long addr = address + done;
        int len = want - done;
        long off = file.sqeOffset(offset + done);
        if (bufIndex == -2) {
            bufIndex = ring.hasReadFixed ? ring.bufferIndex(buf.regionTag(), address, want) : -1;
        }
        if (bufIndex >= 0) {
            ring.put(this, 0, Sqe.OP_READ_FIXED, file.sqeFlags(), file.sqeFd(), off, addr, len, 0, bufIndex);
        } else if (ring.hasRead) {
            ring.put(this, 0, Sqe.OP_READ, file.sqeFlags(), file.sqeFd(), off, addr, len, 0, 0);
        } else {
            if (iov == null) {
                iov = ring.scratch().take(Sqe.IOVEC_SIZE);
            }
            Sqe.iovec(iov, 0, addr, len);
            ring.put(this, 0, Sqe.OP_READV, file.sqeFlags(), file.sqeFd(), off, iov.address(), 1, 0, 0);
        }
    }

    @Override
    int complete(RingLoop ring, int part, int res) {
        if (res < 0) {
            return fail(res);
        }
        bytes += res;
        if (res == 0 || bytes >= want || file.stream || (file.alignment > 1 && bytes % file.alignment != 0)) {
            // End of file, done, a stream (a read takes what is there), or an O_DIRECT read that
            // ended unaligned (only the end of the file does that).
            return succeed((int) bytes);
        }
        return AGAIN;
    }

    @Override
    void release() {
        buf.endIo();
    }

    @Override
    void freeScratch(Scratch scratch) {
        scratch.give(iov);
        iov = null;
    }
}
