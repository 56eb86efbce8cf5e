package dev.logcore.io.faults;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIoException;
import dev.logcore.io.FsyncKind;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.IoFuture;
import dev.logcore.io.OpKind;
import dev.logcore.io.OpenFlag;
import dev.logcore.io.spi.Requests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** A real file seen through {@link FaultyDiskIo}: operations are forwarded, modelled and faulted. */
final class FaultyFile implements DiskFile {
    private final FaultyDiskIo io;
    private final DiskFile real;
    private final Path path;
    private final boolean directory;

    FaultyFile(FaultyDiskIo io, DiskFile real, Path path) {
        this.io = io;
        this.real = real;
        this.path = path;
        this.directory = Files.isDirectory(path);
    }

    @Override
    public Path path() {
        return real.path();
    }

    @Override
    public Set<OpenFlag> flags() {
        return real.flags();
    }

    @Override
    public int directAlignment() {
        return real.directAlignment();
    }

    @Override
    public boolean isOpen() {
        return real.isOpen();
    }

    private static byte[] bytesOf(List<IoBuffer> srcs) {
        int n = 0;
        for (IoBuffer b : srcs) {
            n += b.limit();
        }
        byte[] out = new byte[n];
        int at = 0;
        for (IoBuffer b : srcs) {
            b.get(0, out, at, b.limit());
            at += b.limit();
        }
        return out;
    }

    /** This file's model; or, if it cannot be read, null after failing {@code out} and ending the operation. */
    private FileModel modelOrFail(FaultyDiskIo.FaultFuture<?> out) {
        try {
            return io.model(path);
        } catch (IOException e) {
            io.ended();
            out.fail(e);
            return null;
        }
    }

    @Override
    public IoFuture<Integer> read(IoBuffer dst, long offset) {
        Requests.owned(dst);
        Requests.nonNegative(offset, "offset");
        if (!io.enter()) {
            return IoFuture.failed(FaultyDiskIo.crashError(OpKind.READ, path));
        }
        Fault f = io.firing(Fault.Point.READ, path);
        if (f != null && f.action == Fault.Action.ERROR) {
            io.ended();
            return IoFuture.failed(new DiskIoException(OpKind.READ, path, f.errno, "injected fault"));
        }
        FaultyDiskIo.FaultFuture<Integer> out = new FaultyDiskIo.FaultFuture<>();
        IoFuture<Integer> inner;
        try {
            inner = real.read(dst, offset);
        } catch (RuntimeException e) {
            io.ended();
            throw e;
        }
        out.track(inner);
        Random rnd = f != null ? io.random() : null;
        inner.whenComplete((n, err) -> {
            try {
                if (err == null && f != null && n > 0) {
                    int at = rnd.nextInt(n);
                    dst.putByte(at, (byte) (dst.getByte(at) ^ (1 << rnd.nextInt(8))));
                }
                out.settle(n, err);
            } finally {
                io.ended();
            }
        });
        return out;
    }

    @Override
    public IoFuture<Integer> write(IoBuffer src, long offset) {
        Requests.owned(src);
        Requests.nonNegative(offset, "offset");
        return writeModelled(OpKind.WRITE, List.of(src), offset, null).thenApplyIo(Long::intValue);
    }

    @Override
    public IoFuture<Long> writev(List<IoBuffer> srcs, long offset) {
        Requests.owned(srcs);
        Requests.nonNegative(offset, "offset");
        return writeModelled(OpKind.WRITEV, srcs, offset, null);
    }

    @Override
    public IoFuture<Long> writeThenSync(List<IoBuffer> srcs, long offset, FsyncKind kind) {
        Requests.owned(srcs);
        Requests.nonNegative(offset, "offset");
        Objects.requireNonNull(kind, "kind");
        return writeModelled(OpKind.WRITE_SYNC, srcs, offset, kind);
    }

    /**
     * A write (and for writeThenSync, the sync after it): the data is captured for the model, the
     * write goes to the real file (or a faulted version of it), the model learns of its completion,
     * then the sync half runs and folds what it covers.
     */
    private Chain<Long> writeModelled(OpKind op, List<IoBuffer> srcs, long offset, FsyncKind syncKind) {
        Chain<Long> out = new Chain<>();
        if (!io.enter()) {
            out.fail(FaultyDiskIo.crashError(op, path));
            return out;
        }
        byte[] data = bytesOf(srcs);
        FileModel model = modelOrFail(out);
        if (model == null) {
            return out;
        }
        Fault wf = io.firing(Fault.Point.WRITE, path);
        Fault sf = syncKind != null ? io.firing(Fault.Point.SYNC, path) : null;
        if (wf != null && wf.action == Fault.Action.ERROR) {
            io.ended();
            out.fail(new DiskIoException(op, path, wf.errno, "injected fault"));
            return out;
        }
        long id = io.nextWriteId();
        Random rnd = wf != null ? io.random() : null;
        byte[] toWrite = data;
        int shortLen = -1;
        if (wf != null && wf.action == Fault.Action.BIT_FLIP && data.length > 0) {
            toWrite = data.clone();
            int at = rnd.nextInt(data.length);
            toWrite[at] ^= (byte) (1 << rnd.nextInt(8));
        } else if (wf != null && wf.action == Fault.Action.SHORT_WRITE) {
            // Cut at a sector boundary of the file strictly inside the write, or, for a write within
            // one sector, at any byte of it.
            long firstBoundary = (offset / FaultyDiskIo.SECTOR + 1) * FaultyDiskIo.SECTOR;
            long end = offset + data.length;
            long boundaries = end <= firstBoundary ? 0 : (end - 1 - firstBoundary) / FaultyDiskIo.SECTOR + 1;
            long cutAt = boundaries == 0 ? offset + rnd.nextInt(Math.max(1, data.length))
                    : firstBoundary + FaultyDiskIo.SECTOR * (long) rnd.nextInt((int) Math.min(boundaries, Integer.MAX_VALUE));
            shortLen = (int) (cutAt - offset);
            toWrite = java.util.Arrays.copyOf(data, shortLen);
        }
        synchronized (io.lock()) {
            try {
                model.writeStarted(offset, toWrite.length);
            } catch (IOException e) {
                io.ended();
                out.fail(e);
                return out;
            }
        }
        try {
            return submitModelled(op, srcs, offset, syncKind, out, data, model, sf, id, toWrite, shortLen);
        } catch (RuntimeException e) {
            io.ended();
            throw e;
        }
    }

    private Chain<Long> submitModelled(OpKind op, List<IoBuffer> srcs, long offset, FsyncKind syncKind, Chain<Long> out,
                                       byte[] data, FileModel model, Fault sf, long id, byte[] toWrite, int shortLen) {
        final byte[] written = toWrite;
        final int cut = shortLen;
        CompletableFuture<Long> realWrite;
        IoBuffer substitute = null;
        if (written != data || syncKind != null && sf != null) {
            // Write our own copy (faulted data, or a write split from its sync so the sync can fail alone).
            if (written.length == 0) {
                realWrite = CompletableFuture.completedFuture(0L);
            } else {
                substitute = io.realEngine().allocate(written.length);
                substitute.put(0, written);
                realWrite = real.writev(List.of(substitute), offset);
            }
        } else if (syncKind != null) {
            FileModel.SyncMark before;
            synchronized (io.lock()) {
                before = model.syncStarted();
            }
            // No fault on either half: the real linked write-then-sync runs. It covers everything
            // completed before it started, and its own write.
            IoFuture<Long> inner = real.writeThenSync(srcs, offset, syncKind);
            out.track(inner);
            inner.whenComplete((n, err) -> {
                try {
                    synchronized (io.lock()) {
                        model.writeCompleted(id, offset, data, err == null);
                        if (err == null) {
                            FileModel.SyncMark withOwn = model.syncStarted();
                            java.util.Map<Long, Integer> counts = new java.util.TreeMap<>(before.counts());
                            for (long s = offset / FaultyDiskIo.SECTOR; data.length > 0
                                    && s <= (offset + data.length - 1) / FaultyDiskIo.SECTOR; s++) {
                                counts.put(s, withOwn.counts().get(s));
                            }
                            model.syncSucceeded(new FileModel.SyncMark(counts, Math.max(before.size(), offset + data.length)));
                        }
                    }
                    if (err == null) {
                        io.synced();
                    }
                    out.settle(n, err);
                } finally {
                    io.ended();
                }
            });
            return out;
        } else {
            realWrite = real.writev(srcs, offset);
        }
        out.track(realWrite);
        final IoBuffer sub = substitute;
        realWrite.whenComplete((n, err) -> {
            if (sub != null) {
                sub.close();
            }
            synchronized (io.lock()) {
                model.writeCompleted(id, offset, written, err == null);
            }
            if (err != null) {
                io.ended();
                out.fail(err);
                return;
            }
            if (cut >= 0) {
                io.ended();
                out.fail(new DiskIoException(op, path, dev.logcore.io.Errno.EIO,
                        "injected short write: " + cut + " of " + data.length + " bytes reached the file"));
                return;
            }
            if (syncKind == null) {
                io.ended();
                out.succeed((long) data.length);
                return;
            }
            syncModelled(model, sf, syncKind).whenComplete((v, serr) -> {
                io.ended();
                out.settle((long) data.length, serr);
            });
        });
        return out;
    }

    @Override
    public IoFuture<Void> sync(FsyncKind kind) {
        Objects.requireNonNull(kind, "kind");
        Chain<Void> out = new Chain<>();
        if (!io.enter()) {
            out.fail(FaultyDiskIo.crashError(OpKind.SYNC, path));
            return out;
        }
        if (directory) {
            List<Path> names = io.undurableNamesIn(path);
            IoFuture<Void> inner = real.sync(kind);
            out.track(inner);
            inner.whenComplete((v, err) -> {
                if (err == null) {
                    io.directorySynced(path, names);
                }
                io.ended();
                out.settle(null, err);
            });
            return out;
        }
        FileModel model = modelOrFail(out);
        if (model == null) {
            return out;
        }
        Fault sf = io.firing(Fault.Point.SYNC, path);
        syncModelled(model, sf, kind).whenComplete((v, err) -> {
            io.ended();
            out.settle(null, err);
        });
        return out;
    }

    /** The sync half: a fault poisons what it covered; a real success folds it. */
    private CompletableFuture<Void> syncModelled(FileModel model, Fault sf, FsyncKind kind) {
        FileModel.SyncMark mark;
        synchronized (io.lock()) {
            mark = model.syncStarted();
        }
        if (sf != null) {
            synchronized (io.lock()) {
                model.syncFailed(mark);
            }
            return CompletableFuture.failedFuture(new DiskIoException(OpKind.SYNC, path, sf.errno, "injected fault"));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        real.sync(kind).whenComplete((v, err) -> {
            if (err != null) {
                synchronized (io.lock()) {
                    model.syncFailed(mark);
                }
                done.completeExceptionally(err);
            } else {
                synchronized (io.lock()) {
                    model.syncSucceeded(mark);
                }
                io.synced();
                done.complete(null);
            }
        });
        return done;
    }

    @Override
    public IoFuture<Long> size() {
        if (!io.enter()) {
            return IoFuture.failed(FaultyDiskIo.crashError(OpKind.SIZE, path));
        }
        return forward(real.size());
    }

    @Override
    public IoFuture<Void> truncate(long size) {
        Requests.nonNegative(size, "size");
        if (!io.enter()) {
            return IoFuture.failed(FaultyDiskIo.crashError(OpKind.TRUNCATE, path));
        }
        Chain<Void> out = new Chain<>();
        IoFuture<Void> inner = real.truncate(size);
        out.track(inner);
        inner.whenComplete((v, err) -> {
            try {
                if (err == null) {
                    synchronized (io.lock()) {
                        io.model(path).truncated(size);
                    }
                }
                out.settle(null, err);
            } catch (IOException e) {
                out.fail(e);
            } finally {
                io.ended();
            }
        });
        return out;
    }

    @Override
    public IoFuture<Void> preallocate(long offset, long length) {
        if (!io.enter()) {
            return IoFuture.failed(FaultyDiskIo.crashError(OpKind.PREALLOCATE, path));
        }
        return forward(real.preallocate(offset, length));
    }

    @Override
    public IoFuture<Void> close() {
        // A close is let through after a crash too: it releases the descriptor, writes nothing.
        io.enterAlways();
        return forward(real.close());
    }

    /** Forwards an admitted operation ({@link FaultyDiskIo#enter} was called). */
    private <T> IoFuture<T> forward(IoFuture<T> inner) {
        Chain<T> out = new Chain<>();
        out.track(inner);
        inner.whenComplete((v, err) -> {
            io.ended();
            out.settle(v, err);
        });
        return out;
    }

    /** The wrapper's future, with a mapping helper for write(). */
    static final class Chain<T> extends FaultyDiskIo.FaultFuture<T> {
        <U> IoFuture<U> thenApplyIo(java.util.function.Function<T, U> fn) {
            Chain<U> out = new Chain<>();
            out.track(this);
            whenComplete((v, err) -> {
                if (err != null) {
                    out.fail(err);
                } else {
                    out.succeed(fn.apply(v));
                }
            });
            return out;
        }
    }
}
