package dev.logcore.io.uring;

import dev.logcore.io.IoBuffer;
import dev.logcore.io.OpKind;

/**
 * A positional read into one buffer: READ_FIXED for the engine's registered memory, READ
 * otherwise (READV where the kernel has no READ). A short read of a regular file is continued
 * until the end of the file, so a read is short only there.
 */
final class ReadOp extends BufferOp {

    ReadOp(RingFile file, IoBuffer buf, long address, int want, long offset) {
        super(file, OpKind.READ, buf, address, want, offset);
    }

    @Override
    void prepare(RingLoop ring) {
        putRest(ring, ring.hasReadFixed, Sqe.OP_READ_FIXED, ring.hasRead, Sqe.OP_READ, Sqe.OP_READV);
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
}
