package dev.logcore.io.uring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The thread that runs blocking system calls for opcodes the kernel lacks (ftruncate before Linux
 * 6.9, for instance). One thread, started on first use and stopped when idle: fallbacks are rare
 * metadata calls, never the data path.
 */
final class Fallbacks {
    private final ThreadPoolExecutor pool;

    Fallbacks(String name) {
        pool = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "logcore-" + name + "-fallback");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    /** Runs {@code step} for {@code op}; {@code false} once shut down. */
    boolean execute(RingOp<?> op, Runnable step) {
        try {
            pool.execute(new Step(op, step));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Stops taking steps; returns the operations whose steps never started. */
    List<RingOp<?>> shutdown() {
        pool.shutdown();
        List<Runnable> left = new ArrayList<>();
        pool.getQueue().drainTo(left);
        List<RingOp<?>> ops = new ArrayList<>();
        for (Runnable r : left) {
            ops.add(((Step) r).op);
        }
        return ops;
    }

    private record Step(RingOp<?> op, Runnable body) implements Runnable {
        @Override
        public void run() {
            body.run();
        }
    }
}
