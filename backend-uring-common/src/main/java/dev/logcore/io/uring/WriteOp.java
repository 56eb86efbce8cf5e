package dev.logcore.io.uring;

import dev.logcore.io.Errno;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.OpKind;
import java.lang.foreign.MemorySegment;

/**
 * A positional write of one buffer: WRITE_FIXED for the engine's registered memory, WRITE
 * otherwise (WRITEV where the kernel has no WRITE). Short writes are resubmitted until every
 * byte is written.
 */
final class WriteOp extends RingOp<Integer> {
    private final IoBuffer buf;
    private final long address;
    private final int want;
    private final long offset;
    private int bufIndex = -2;
    private MemorySegment iov;

    WriteOp(RingFile file, IoBuffer buf, long address, int want, long offset) {
        super(file.engine, OpKind.WRITE, file);
        this.buf = buf;
        this.address = address;
        this.want = want;
        this.offset = offset;
    }

    @Override
    void prepare(RingLoop ring) {
        if (want == 0) {
            succeed(0); // nothing to write; no SQE
            return;
        }
        int done = (int) bytes;
        long addr = address + done;
        int len = want - done;
        long off = file.sqeOffset(offset + done);
        if (bufIndex == -2) {
            bufIndex = ring.hasWriteFixed ? ring.bufferIndex(buf.regionTag(), address, want) : -1;
        }
        if (bufIndex >= 0) {
            ring.put(this, 0, Sqe.OP_WRITE_FIXED, file.sqeFlags(), file.sqeFd(), off, addr, len, 0, bufIndex);
        } else if (ring.hasWrite) {
            ring.put(this, 0, Sqe.OP_WRITE, file.sqeFlags(), file.sqeFd(), off, addr, len, 0, 0);
        } else {
            if (iov == null) {
                iov = ring.scratch().take(Sqe.IOVEC_SIZE);
            }
            Sqe.iovec(iov, 0, addr, len);
            ring.put(this, 0, Sqe.OP_WRITEV, file.sqeFlags(), file.sqeFd(), off, iov.address(), 1, 0, 0);
        }
    }

    @Override
    int complete(RingLoop ring, int part, int res) {
        if (res < 0) {
            return fail(res);
        }
        if (res == 0) {
            return fail(Errno.EIO, "the kernel wrote 0 of " + (want - bytes) + " bytes");
        }
        bytes += res;
        if (bytes >= want) {
            return succeed(want);
        }
        if (file.alignment > 1 && bytes % file.alignment != 0) {
            return fail(Errno.EIO, "short O_DIRECT write ended at an unaligned " + bytes + " bytes; the rest cannot be resubmitted aligned");
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
