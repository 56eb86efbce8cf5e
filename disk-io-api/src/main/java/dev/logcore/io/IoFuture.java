package dev.logcore.io;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The pending result of one I/O operation, completed on the provider's own thread.
 *
 * <p>Only the provider completes it, and it does so only after the operation's buffers are given
 * back: when this future is done, in any way, the caller owns those buffers again. For that reason
 * the methods that would let anyone else complete it ({@link #complete}, {@link
 * #completeExceptionally}, {@link #obtrudeValue}, {@link #obtrudeException}, {@link #orTimeout},
 * {@link #completeOnTimeout}) throw {@link UnsupportedOperationException}; derive a stage
 * ({@code thenApply}, {@code copy()}, ...) to put a timeout on it. Dependent stages are plain
 * {@link CompletableFuture}s; non-async ones run on the provider's thread and must not block it.
 *
 * <p><b>Cancellation</b> is a request. {@link #cancel(boolean)} returns {@code true} when the
 * operation had not started and is now dropped (its buffers are back, this future is cancelled).
 * Otherwise it asks the provider to cancel the running operation and returns {@code false}: the
 * future then completes later, either cancelled (the kernel dropped it before it took effect) or
 * normally (it finished first). A cancelled operation keeps its buffers until the kernel lets go.
 *
 * @param <T> the result type
 */
public abstract class IoFuture<T> extends CompletableFuture<T> {

    /** For providers. */
    protected IoFuture() {
    }

    /**
     * The provider's half of {@link #cancel(boolean)}: drop the operation if it has not started
     * (releasing its buffers, then calling {@link #finishCancelled()}) and return {@code true}, or
     * ask for it to be cancelled where it runs and return {@code false}.
     */
    protected abstract boolean requestCancel();

    /** For providers: completes normally. Buffers must have been given back first. */
    protected final boolean finish(T value) {
        return super.complete(value);
    }

    /** For providers: completes with a failure. Buffers must have been given back first. */
    protected final boolean finishExceptionally(Throwable error) {
        return super.completeExceptionally(error);
    }

    /** For providers: completes as cancelled. Buffers must have been given back first. */
    protected final boolean finishCancelled() {
        return super.cancel(false);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (isDone()) {
            return false;
        }
        return requestCancel();
    }

    @Override
    public boolean complete(T value) {
        throw new UnsupportedOperationException("only the DiskIo provider completes an IoFuture");
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        throw new UnsupportedOperationException("only the DiskIo provider completes an IoFuture");
    }

    @Override
    public void obtrudeValue(T value) {
        throw new UnsupportedOperationException("only the DiskIo provider completes an IoFuture");
    }

    @Override
    public void obtrudeException(Throwable ex) {
        throw new UnsupportedOperationException("only the DiskIo provider completes an IoFuture");
    }

    @Override
    public CompletableFuture<T> orTimeout(long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException("put the timeout on a derived stage: copy().orTimeout(...)");
    }

    @Override
    public CompletableFuture<T> completeOnTimeout(T value, long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException("put the timeout on a derived stage: copy().completeOnTimeout(...)");
    }

    @Override
    public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier) {
        throw new UnsupportedOperationException("only the DiskIo provider completes an IoFuture");
    }

    @Override
    public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier, java.util.concurrent.Executor executor) {
        throw new UnsupportedOperationException("only the DiskIo provider completes an IoFuture");
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }

    /**
     * A future that is already failed, for operations refused before submission (closed file,
     * misaligned O_DIRECT request, ...). Holds no buffer.
     */
    public static <T> IoFuture<T> failed(Throwable error) {
        Done<T> f = new Done<>();
        f.finishExceptionally(error);
        return f;
    }

    /** A future that is already complete with {@code value}. Holds no buffer. */
    public static <T> IoFuture<T> completed(T value) {
        Done<T> f = new Done<>();
        f.finish(value);
        return f;
    }

    private static final class Done<T> extends IoFuture<T> {
        @Override
        protected boolean requestCancel() {
            return false;
        }
    }
}
