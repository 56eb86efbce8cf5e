package dev.logcore.io.nio;

import dev.logcore.io.DiskIoException;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.IoFuture;
import dev.logcore.io.OpKind;
import dev.logcore.io.spi.FileGate;
import dev.logcore.io.spi.Requests;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One operation on the worker pool. It holds its buffers (already in flight) and its file's gate
 * entry until it ends; it ends exactly once: run, cancelled while queued, or failed by the engine's
 * close.
 */
final class NioOp<T> extends IoFuture<T> implements Runnable {
    /** The work itself; returns the result and reports the bytes moved through {@link #bytes}. */
    interface Body<T> {
        T run(NioOp<T> op) throws Exception;
    }

    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;

    final OpKind kind;
    final Path path;
    private final NioDiskIo engine;
    private final FileGate gate;
    private final List<IoBuffer> buffers;
    private final Body<T> body;
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private final long startNanos;
    /** Bytes moved, set by the body. */
    long bytes;

    NioOp(NioDiskIo engine, OpKind kind, Path path, FileGate gate, List<IoBuffer> buffers, Body<T> body) {
        this.engine = engine;
        this.kind = kind;
        this.path = path;
        this.gate = gate;
        this.buffers = buffers;
        this.body = body;
        this.startNanos = engine.stats.started();
    }

    @Override
    public void run() {
        if (!state.compareAndSet(QUEUED, RUNNING)) {
            return;
        }
        T result = null;
        Throwable error = null;
        try {
            result = body.run(this);
        } catch (Throwable t) {
            error = t;
        }
        if (state.compareAndSet(RUNNING, DONE)) {
            end(result, error == null ? null : NioErrors.map(kind, path, error), false);
        } else {
            // Abandoned by the engine's close while stuck; the future is failed already, and only
            // now may the buffers and the file be let go.
            Requests.endAll(buffers);
            if (gate != null) {
                gate.exit();
            }
        }
    }

    /** Fails the operation if it has not started (engine close); {@code true} if it did. */
    boolean failIfQueued(DiskIoException error) {
        if (state.compareAndSet(QUEUED, DONE)) {
            end(null, error, false);
            return true;
        }
        return false;
    }

    /**
     * Fails an operation whose worker is stuck past every timeout of the engine's close. The buffers
     * stay in flight: the thread may still write into them, so they must not be reused or freed.
     */
    void abandon(DiskIoException error) {
        if (state.compareAndSet(RUNNING, DONE)) {
            engine.stats.completed(kind, startNanos, 0, false);
            engine.opEnded(this);
            finishExceptionally(error);
        }
    }

    boolean isRunning() {
        return state.get() == RUNNING;
    }

    @Override
    protected boolean requestCancel() {
        if (!state.compareAndSet(QUEUED, DONE)) {
            // Running: a FileChannel call cannot be interrupted without closing the channel for
            // everyone, so a running operation is left to finish.
            return false;
        }
        engine.dequeue(this);
        end(null, null, true);
        return true;
    }

    private void end(T result, DiskIoException error, boolean cancelled) {
        Requests.endAll(buffers);
        if (gate != null) {
            gate.exit();
        }
        engine.stats.completed(kind, startNanos, bytes, error == null && !cancelled);
        engine.opEnded(this);
        if (cancelled) {
            finishCancelled();
        } else if (error != null) {
            finishExceptionally(error);
        } else {
            finish(result);
        }
    }
}
