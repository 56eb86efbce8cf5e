package dev.logcore.io.uring;

import dev.logcore.io.Errno;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.OpKind;

/**
 * A positional write of one buffer: WRITE_FIXED for the engine's registered memory, WRITE
 * otherwise (WRITEV where the kernel has no WRITE). Short writes are resubmitted until every
 * byte is written.
 */
final class WriteOp extends BufferOp {

    WriteOp(RingFile file, IoBuffer buf, long address, int want, long offset) {
        super(file, OpKind.WRITE, buf, address, want, offset);
    }

    @Override
    void prepare(RingLoop ring) {
        if (want == 0) {
            succeed(0); // nothing to write; no SQE
            return;
        }
        putRest(ring, ring.hasWriteFixed, Sqe.OP_WRITE_FIXED, ring.hasWrite, Sqe.OP_WRITE, Sqe.OP_WRITEV);
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
}
