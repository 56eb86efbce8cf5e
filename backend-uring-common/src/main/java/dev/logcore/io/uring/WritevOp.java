package dev.logcore.io.uring;

import dev.logcore.io.Errno;
import dev.logcore.io.FsyncKind;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.OpKind;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A gathered write, and write-then-sync. The buffers go in steps of at most {@code IOV_MAX}
 * iovecs (one buffer: a plain WRITE, or WRITE_FIXED for registered memory), each step starting
 * where the previous one ended, so short writes and long lists are the same case.
 *
 * <p>For write-then-sync the step that can finish the write carries {@code IOSQE_IO_LINK} and
 * the FSYNC follows it in the same batch: the kernel starts the sync only if that write wrote
 * everything. If the write fails, the sync completes with ECANCELED and the operation reports the
 * write's own error; if it was short, the rest is written and linked to a new sync.
 */
final class WritevOp extends RingOp<Long> {
    private static final int PART_WRITE = 0;
    private static final int PART_SYNC = 1;

    private final List<IoBuffer> bufs;
    private final long[] addrs;
    private final int[] lens;
    private final long offset;
    private final long total;
    private final FsyncKind sync;
    /** The first buffer not completely written, and how much of it is. */
    private int cur;
    private long curDone;
    private MemorySegment iov;
    private int bufIndex = -2;
    // the step in the kernel
    private boolean linked;
    private boolean syncOnly;
    private long stepBytes;
    private int writeRes;
    private int syncRes;

    WritevOp(RingFile file, OpKind kind, List<IoBuffer> bufs, long[] addrs, int[] lens, long offset, FsyncKind sync) {
        super(file.engine, kind, file);
        this.bufs = bufs;
        this.addrs = addrs;
        this.lens = lens;
        this.offset = offset;
        this.sync = sync;
        long t = 0;
        for (int len : lens) {
            t += len;
        }
        this.total = t;
        skipEmpty();
    }

    private int remainingBuffers() {
        return lens.length - cur;
    }

    @Override
    int sqesNeeded() {
        return sync != null && remainingBuffers() <= Sqe.IOV_MAX ? 2 : 1;
    }

    @Override
    void prepare(RingLoop ring) {
        writeRes = 0;
        syncRes = 0;
        if (bytes >= total) {
            if (sync == null) {
                succeed(total); // nothing (left) to write
                return;
            }
            syncOnly = true;
            linked = false;
            ring.put(this, PART_SYNC, Sqe.OP_FSYNC, file.sqeFlags(), file.sqeFd(), 0, 0, 0, fsyncFlags(), 0);
            return;
        }
        syncOnly = false;
        int count = Math.min(Sqe.IOV_MAX, remainingBuffers());
        linked = sync != null && count == remainingBuffers();
        int flags = file.sqeFlags() | (linked ? Sqe.IOSQE_IO_LINK : 0);
        long off = file.sqeOffset(offset + bytes);
        if (count == 1) {
            long addr = addrs[cur] + curDone;
            int len = (int) (lens[cur] - curDone);
            stepBytes = len;
            if (bufIndex == -2) {
                bufIndex = lens.length == 1 && ring.hasWriteFixed ? ring.bufferIndex(bufs.get(0).regionTag(), addrs[0], lens[0]) : -1;
            }
            if (bufIndex >= 0) {
                ring.put(this, PART_WRITE, Sqe.OP_WRITE_FIXED, flags, file.sqeFd(), off, addr, len, 0, bufIndex);
            } else if (ring.hasWrite) {
                ring.put(this, PART_WRITE, Sqe.OP_WRITE, flags, file.sqeFd(), off, addr, len, 0, 0);
            } else {
                MemorySegment v = iovecs(ring, 1);
                Sqe.iovec(v, 0, addr, len);
                ring.put(this, PART_WRITE, Sqe.OP_WRITEV, flags, file.sqeFd(), off, v.address(), 1, 0, 0);
            }
        } else {
            MemorySegment v = iovecs(ring, count);
            long sum = 0;
            for (int i = 0; i < count; i++) {
                long skip = i == 0 ? curDone : 0;
                long len = lens[cur + i] - skip;
                Sqe.iovec(v, i, addrs[cur + i] + skip, len);
                sum += len;
            }
            stepBytes = sum;
            ring.put(this, PART_WRITE, Sqe.OP_WRITEV, flags, file.sqeFd(), off, v.address(), count, 0, 0);
        }
        if (linked) {
            ring.put(this, PART_SYNC, Sqe.OP_FSYNC, file.sqeFlags(), file.sqeFd(), 0, 0, 0, fsyncFlags(), 0);
        }
    }

    private int fsyncFlags() {
        return sync == FsyncKind.DATA ? Sqe.FSYNC_DATASYNC : 0;
    }

    private MemorySegment iovecs(RingLoop ring, int count) {
        long need = (long) count * Sqe.IOVEC_SIZE;
        if (iov == null || iov.byteSize() < need) {
            ring.scratch().give(iov);
            iov = ring.scratch().take((int) need);
        }
        return iov;
    }

    @Override
    int complete(RingLoop ring, int part, int res) {
        if (part == PART_WRITE) {
            writeRes = res;
        } else {
            syncRes = res;
        }
        if (cqesPending > 0) {
            return MORE;
        }
        if (syncOnly) {
            return syncRes < 0 ? fail(syncRes) : succeed(total);
        }
        if (writeRes < 0) {
            return fail(writeRes); // the write's own error; a linked sync was cancelled by it
        }
        if (writeRes == 0 && stepBytes > 0) {
            return fail(Errno.EIO, "the kernel wrote 0 of " + stepBytes + " bytes");
        }
        advance(writeRes);
        if (bytes < total) {
            if (file.alignment > 1 && bytes % file.alignment != 0) {
                return fail(Errno.EIO, "short O_DIRECT write ended at an unaligned " + bytes
                        + " bytes; the rest cannot be resubmitted aligned");
            }
            return AGAIN; // the next step, or the rest of a short one (its linked sync did not count)
        }
        if (linked && syncRes < 0) {
            return fail(syncRes);
        }
        return succeed(total);
    }

    private void advance(long n) {
        bytes += n;
        long left = n;
        while (left > 0 && cur < lens.length) {
            long room = lens[cur] - curDone;
            if (left >= room) {
                left -= room;
                cur++;
                curDone = 0;
            } else {
                curDone += left;
                left = 0;
            }
        }
        skipEmpty();
    }

    private void skipEmpty() {
        while (cur < lens.length && lens[cur] == curDone) {
            cur++;
            curDone = 0;
        }
    }

    @Override
    void release() {
        for (IoBuffer b : bufs) {
            b.endIo();
        }
    }

    @Override
    void freeScratch(Scratch scratch) {
        scratch.give(iov);
        iov = null;
    }
}
