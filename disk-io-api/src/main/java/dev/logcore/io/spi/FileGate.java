package dev.logcore.io.spi;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the operations in flight on one file and runs the file's real close exactly once, when it
 * has been asked to close and the last operation has left. Operations entering after the close
 * request are refused, so a closed file never sees a new operation and an operation never sees its
 * descriptor closed (or reused) under it.
 */
public final class FileGate {
    private static final int CLOSING = 0x8000_0000;

    private final AtomicInteger state = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicBoolean closeAsked = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile Runnable onDrained;

    /** Admits one operation; {@code false} once the file is closing. */
    public boolean enter() {
        while (true) {
            int s = state.get();
            if ((s & CLOSING) != 0) {
                return false;
            }
            if (s == Integer.MAX_VALUE) {
                throw new IllegalStateException("too many operations in flight on one file");
            }
            if (state.compareAndSet(s, s + 1)) {
                return true;
            }
        }
    }

    /** One admitted operation has completed. */
    public void exit() {
        if (state.decrementAndGet() == CLOSING) {
            onDrained.run();
        }
    }

    /**
     * Asks to close: {@code onDrained} runs once no operation is in flight (at once if none is, on
     * the thread of the last operation otherwise).
     *
     * @return {@code false} if the close was asked already (then {@code onDrained} is not used)
     */
    public boolean close(Runnable onDrained) {
        if (!closeAsked.compareAndSet(false, true)) {
            return false;
        }
        this.onDrained = onDrained;
        int before = state.getAndUpdate(s -> s | CLOSING);
        if (before == 0) {
            onDrained.run();
        }
        return true;
    }

    /** Whether close was asked. */
    public boolean isClosing() {
        return (state.get() & CLOSING) != 0;
    }

    /** Operations in flight now. */
    public int inFlight() {
        return state.get() & ~CLOSING;
    }
}
