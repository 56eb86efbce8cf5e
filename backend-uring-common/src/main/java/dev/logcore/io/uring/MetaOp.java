package dev.logcore.io.uring;

import dev.logcore.io.FsyncKind;
import dev.logcore.io.OpKind;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The one-SQE operations on a file that move no buffer: sync, size, truncate, preallocate. Each
 * uses its io_uring opcode when the kernel has it, and the plain system call on the fallback
 * thread when it does not.
 */
abstract class MetaOp<T> extends RingOp<T> {

    MetaOp(RingFile file, OpKind kind) {
        super(file.engine, kind, file);
    }

    /** {@code fsync}/{@code fdatasync}: FSYNC, with IORING_FSYNC_DATASYNC for {@link FsyncKind#DATA}. */
    static final class Sync extends MetaOp<Void> {
        private final FsyncKind syncKind;

        Sync(RingFile file, FsyncKind kind) {
            super(file, OpKind.SYNC);
            this.syncKind = kind;
        }

        @Override
        void prepare(RingLoop ring) {
            int flags = syncKind == FsyncKind.DATA ? Sqe.FSYNC_DATASYNC : 0;
            ring.put(this, 0, Sqe.OP_FSYNC, file.sqeFlags(), file.sqeFd(), 0, 0, 0, flags, 0);
        }

        @Override
        int complete(RingLoop ring, int part, int res) {
            return res < 0 ? fail(res) : succeed(null);
        }
    }

    /** The size: STATX with AT_EMPTY_PATH on the real descriptor (statx takes no fixed file); else fstat. */
    static final class Size extends MetaOp<Long> {
        private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private MemorySegment statx;
        private MemorySegment emptyPath;

        Size(RingFile file) {
            super(file, OpKind.SIZE);
        }

        @Override
        boolean blocking() {
            return !file.engine.loop.hasStatx;
        }

        @Override
        void prepare(RingLoop ring) {
            statx = ring.scratch().take(Sqe.STATX_SIZE);
            emptyPath = ring.scratch().take(1); // zeroed: the empty string
            ring.put(this, 0, Sqe.OP_STATX, 0, file.fd, statx.address(), emptyPath.address(), Sqe.STATX_SIZE_MASK,
                    Sqe.AT_EMPTY_PATH, 0);
        }

        @Override
        int complete(RingLoop ring, int part, int res) {
            return res < 0 ? fail(res) : succeed(statx.get(U64, Sqe.STATX_OFF_SIZE));
        }

        @Override
        int runBlocking() {
            long r = file.engine.kernel().fileSize(file.fd);
            file.engine.stats.systemCall(1);
            return r < 0 ? fail((int) r) : succeed(r);
        }

        @Override
        void freeScratch(Scratch scratch) {
            scratch.give(statx);
            scratch.give(emptyPath);
            statx = null;
            emptyPath = null;
        }
    }

    /** ftruncate: FTRUNCATE (Linux 6.9), else ftruncate(2). */
    static final class Truncate extends MetaOp<Void> {
        private final long length;

        Truncate(RingFile file, long length) {
            super(file, OpKind.TRUNCATE);
            this.length = length;
        }

        @Override
        boolean blocking() {
            return !file.engine.loop.hasFtruncate;
        }

        @Override
        void prepare(RingLoop ring) {
            ring.put(this, 0, Sqe.OP_FTRUNCATE, file.sqeFlags(), file.sqeFd(), length, 0, 0, 0, 0);
        }

        @Override
        int complete(RingLoop ring, int part, int res) {
            return res < 0 ? fail(res) : succeed(null);
        }

        @Override
        int runBlocking() {
            int r = file.engine.kernel().truncate(file.fd, length);
            file.engine.stats.systemCall(1);
            return r < 0 ? fail(r) : succeed(null);
        }
    }

    /** fallocate mode 0: FALLOCATE (offset in off, length in addr, mode in len), else fallocate(2). */
    static final class Preallocate extends MetaOp<Void> {
        private final long offset;
        private final long length;

        Preallocate(RingFile file, long offset, long length) {
            super(file, OpKind.PREALLOCATE);
            this.offset = offset;
            this.length = length;
        }

        @Override
        boolean blocking() {
            return length > 0 && !file.engine.loop.hasFallocate;
        }

        @Override
        void prepare(RingLoop ring) {
            if (length == 0) {
                succeed(null); // fallocate(2) refuses a zero length; there is nothing to allocate
                return;
            }
            ring.put(this, 0, Sqe.OP_FALLOCATE, file.sqeFlags(), file.sqeFd(), offset, length, 0, 0, 0);
        }

        @Override
        int complete(RingLoop ring, int part, int res) {
            return res < 0 ? fail(res) : succeed(null);
        }

        @Override
        int runBlocking() {
            int r = file.engine.kernel().fallocate(file.fd, 0, offset, length);
            file.engine.stats.systemCall(1);
            return r < 0 ? fail(r) : succeed(null);
        }
    }
}
