package dev.logcore.io.nio;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIoException;
import dev.logcore.io.Errno;
import dev.logcore.io.FsyncKind;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.IoFuture;
import dev.logcore.io.OpKind;
import dev.logcore.io.OpenFlag;
import dev.logcore.io.spi.FileGate;
import dev.logcore.io.spi.Requests;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A FileChannel under the contract; every call runs on the engine's workers. */
final class NioDiskFile implements DiskFile {
    private static final int ZERO_CHUNK = 1 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(ZERO_CHUNK).asReadOnlyBuffer();

    private final NioDiskIo engine;
    private final Path path;
    private final Set<OpenFlag> flags;
    private final FileChannel channel;
    /** For O_DIRECT files opened for writing: a buffered channel to the same inode, see open. */
    private final FileChannel buffered;
    private final int alignment;
    /**
     * A FIFO or character device: positional calls fail there (ESPIPE), so offsets are ignored and
     * the stream is read and written, as io_uring does for such files.
     */
    private final boolean stream;
    private final FileGate gate = new FileGate();
    /** Gathered writes move the channel position; they take this lock (positional calls do not). */
    private final Object positionLock = new Object();

    NioDiskFile(NioDiskIo engine, Path path, Set<OpenFlag> flags, FileChannel channel, FileChannel buffered, int alignment) {
        this.engine = engine;
        this.path = path;
        this.flags = flags;
        this.channel = channel;
        this.buffered = buffered;
        this.alignment = alignment;
        this.stream = !java.nio.file.Files.isRegularFile(path) && !isBlockDevice(path);
    }

    private static boolean isBlockDevice(Path path) {
        try {
            Object mode = java.nio.file.Files.getAttribute(path, "unix:mode");
            return mode instanceof Integer m && (m & 0170000) == 0060000;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public Set<OpenFlag> flags() {
        return flags;
    }

    @Override
    public int directAlignment() {
        return alignment;
    }

    @Override
    public boolean isOpen() {
        return !gate.isClosing();
    }

    private boolean direct() {
        return alignment > 1;
    }

    /**
     * The shared submission path: checks in the order {@link Requests} documents, moves the buffers in
     * flight, queues the body.
     */
    private <T> IoFuture<T> submit(OpKind kind, List<IoBuffer> buffers, long offset, NioOp.Body<T> body) {
        if (engine.isClosed()) {
            return engine.refused(kind, path, Errno.ESHUTDOWN, "the engine is closed");
        }
        if (!gate.enter()) {
            return engine.refused(kind, path, Errno.EBADF, "the file is closed");
        }
        try {
            DiskIoException bad = Requests.misaligned(kind, path, alignment, offset, buffers);
            if (bad != null) {
                gate.exit();
                engine.stats.rejected(kind);
                return IoFuture.failed(bad);
            }
            Requests.beginAll(buffers);
        } catch (RuntimeException e) {
            gate.exit();
            throw e;
        }
        return engine.submit(new NioOp<>(engine, kind, path, gate, buffers, body));
    }

    @Override
    public IoFuture<Integer> read(IoBuffer dst, long offset) {
        Requests.owned(dst);
        Requests.nonNegative(offset, "offset");
        return submit(OpKind.READ, List.of(dst), offset, op -> {
            ByteBuffer bb = dst.ioSegment().asByteBuffer();
            int want = bb.remaining();
            while (bb.hasRemaining()) {
                int n = stream ? channel.read(bb) : channel.read(bb, offset + bb.position());
                engine.stats.systemCall(1);
                if (n <= 0 || stream || (direct() && bb.hasRemaining())) {
                    // End of file (a short O_DIRECT read also means the end: regular files are
                    // read short only there, and the next offset would not be aligned).
                    break;
                }
            }
            op.bytes = bb.position();
            return Math.min(want, bb.position());
        });
    }

    @Override
    public IoFuture<Integer> write(IoBuffer src, long offset) {
        Requests.owned(src);
        Requests.nonNegative(offset, "offset");
        return submit(OpKind.WRITE, List.of(src), offset, op -> {
            ByteBuffer bb = src.ioSegment().asByteBuffer();
            writeFully(bb, offset, OpKind.WRITE);
            op.bytes = bb.position();
            return bb.position();
        });
    }

    private void writeFully(ByteBuffer bb, long offset, OpKind kind) throws IOException {
        while (bb.hasRemaining()) {
            int before = bb.position();
            if (stream) {
                channel.write(bb);
            } else {
                channel.write(bb, offset + before);
            }
            engine.stats.systemCall(1);
            if (bb.hasRemaining() && direct() && bb.position() % alignment != 0) {
                throw new DiskIoException(kind, path, Errno.EIO, "short O_DIRECT write ended at an unaligned "
                        + (bb.position() - before) + " bytes; the rest cannot be resubmitted aligned");
            }
        }
    }

    @Override
    public IoFuture<Long> writev(List<IoBuffer> srcs, long offset) {
        Requests.owned(srcs);
        Requests.nonNegative(offset, "offset");
        return submit(OpKind.WRITEV, srcs, offset, op -> {
            long n = gatheredWrite(srcs, offset);
            op.bytes = n;
            return n;
        });
    }

    /**
     * FileChannel has no positional gathered write, so the gathered write runs at the channel's
     * position under a lock; positional reads and writes never use the position, so they are not
     * affected. Short writes are resumed until every byte is written.
     */
    private long gatheredWrite(List<IoBuffer> srcs, long offset) throws IOException {
        ByteBuffer[] bbs = new ByteBuffer[srcs.size()];
        long total = 0;
        for (int i = 0; i < bbs.length; i++) {
            bbs[i] = srcs.get(i).ioSegment().asByteBuffer();
            total += bbs[i].remaining();
        }
        synchronized (positionLock) {
            if (!stream) {
                channel.position(offset);
            }
            long written = 0;
            int first = 0;
            while (written < total) {
                while (!bbs[first].hasRemaining()) {
                    first++;
                }
                written += channel.write(bbs, first, bbs.length - first);
                engine.stats.systemCall(1);
            }
        }
        return total;
    }

    @Override
    public IoFuture<Void> sync(FsyncKind kind) {
        Objects.requireNonNull(kind, "kind");
        return submit(OpKind.SYNC, List.of(), 0, op -> {
            channel.force(kind == FsyncKind.FULL);
            engine.stats.systemCall(1);
            return null;
        });
    }

    @Override
    public IoFuture<Long> writeThenSync(List<IoBuffer> srcs, long offset, FsyncKind kind) {
        Requests.owned(srcs);
        Requests.nonNegative(offset, "offset");
        Objects.requireNonNull(kind, "kind");
        return submit(OpKind.WRITE_SYNC, srcs, offset, op -> {
            long n = gatheredWrite(srcs, offset);
            channel.force(kind == FsyncKind.FULL);
            engine.stats.systemCall(1);
            op.bytes = n;
            return n;
        });
    }

    @Override
    public IoFuture<Long> size() {
        return submit(OpKind.SIZE, List.of(), 0, op -> {
            engine.stats.systemCall(1);
            return channel.size();
        });
    }

    @Override
    public IoFuture<Void> truncate(long size) {
        Requests.nonNegative(size, "size");
        return submit(OpKind.TRUNCATE, List.of(), 0, op -> {
            long current = channel.size();
            engine.stats.systemCall(1);
            if (size < current) {
                channel.truncate(size);
                engine.stats.systemCall(1);
            } else if (size > current) {
                // FileChannel.truncate never grows a file: write the last byte instead, which leaves
                // a hole before it on file systems that have them.
                growTo(size);
            }
            return null;
        });
    }

    private void growTo(long size) throws IOException {
        FileChannel ch = buffered != null ? buffered : channel;
        ByteBuffer one = ByteBuffer.allocate(1);
        while (one.hasRemaining()) {
            ch.write(one, size - 1);
            engine.stats.systemCall(1);
        }
    }

    @Override
    public IoFuture<Void> preallocate(long offset, long length) {
        Requests.nonNegative(offset, "offset");
        Requests.nonNegative(length, "length");
        return submit(OpKind.PREALLOCATE, List.of(), 0, op -> {
            op.bytes = allocateBlocks(offset, length);
            return null;
        });
    }

    /**
     * The JDK has no fallocate, so this does what glibc's posix_fallocate does without one: inside
     * the file, every block that reads as zero gets a zero byte written (allocating it if it was a
     * hole, changing nothing else); past the end, zeros are written. Slower than fallocate (one or
     * two calls per block inside the file), with the same result.
     */
    private long allocateBlocks(long offset, long length) throws IOException {
        FileChannel ch = buffered != null ? buffered : channel;
        long end = offset + length;
        long size = channel.size();
        engine.stats.systemCall(1);
        int block = 4096;
        ByteBuffer one = ByteBuffer.allocate(1);
        for (long p = offset - offset % block; p < Math.min(end, size); p += block) {
            long at = Math.max(p, offset);
            one.clear();
            int n = channel == ch ? ch.read(one, at) : readOneDirectSafe(at, one);
            engine.stats.systemCall(1);
            if (n == 1 && one.get(0) != 0) {
                continue;
            }
            one.clear().put(0, (byte) 0);
            ch.write(one, at);
            engine.stats.systemCall(1);
        }
        long written = 0;
        for (long p = Math.max(size, offset); p < end; ) {
            ByteBuffer z = ZEROS.duplicate();
            z.limit((int) Math.min(ZERO_CHUNK, end - p));
            int n = ch.write(z, p);
            engine.stats.systemCall(1);
            p += n;
            written += n;
        }
        return written;
    }

    /** Reads one byte of an O_DIRECT file through a page-sized aligned read of its block. */
    private int readOneDirectSafe(long at, ByteBuffer one) throws IOException {
        IoBuffer page = IoBuffer.allocate(alignment);
        try {
            ByteBuffer bb = page.asByteBuffer();
            long blockStart = at - at % alignment;
            int n = channel.read(bb, blockStart);
            int idx = (int) (at - blockStart);
            if (n <= idx) {
                return -1;
            }
            one.put(0, page.getByte(idx));
            return 1;
        } finally {
            page.close();
        }
    }

    @Override
    public IoFuture<Void> close() {
        CloseOp op = new CloseOp();
        if (!gate.close(op::run)) {
            return IoFuture.completed(null);
        }
        return op;
    }

    /** Closes the channels now, from the engine's close, whatever is in flight. */
    void forceClose() {
        gate.close(() -> { });
        closeChannels();
    }

    private void closeChannels() {
        NioDiskIo.closeQuietly(channel);
        NioDiskIo.closeQuietly(buffered);
        engine.fileClosed(this);
    }

    /** The close of the file, run by the gate once no operation is in flight on it. */
    private final class CloseOp extends IoFuture<Void> {
        private final long start = engine.stats.started();

        void run() {
            Throwable error = null;
            try {
                channel.close();
                if (buffered != null) {
                    buffered.close();
                }
                engine.stats.systemCall(1);
            } catch (IOException e) {
                error = NioErrors.map(OpKind.CLOSE, path, e);
            } finally {
                engine.fileClosed(NioDiskFile.this);
            }
            engine.stats.completed(OpKind.CLOSE, start, 0, error == null);
            if (error != null) {
                finishExceptionally(error);
            } else {
                finish(null);
            }
        }

        @Override
        protected boolean requestCancel() {
            return false;
        }
    }
}
