package dev.logcore.io.uring;

/**
 * What the engine asks {@code io_uring_setup} for ({@code struct io_uring_params} inputs).
 *
 * @param entries SQ entries (the kernel rounds up to a power of two)
 * @param cqEntries CQ entries, used when {@code flags} has {@link Sqe#SETUP_CQSIZE}
 * @param flags {@code IORING_SETUP_*} flags, exactly as passed to the kernel
 * @param sqThreadIdleMillis SQPOLL: how long the poll thread spins before it sleeps
 * @param sqThreadCpu SQPOLL with {@link Sqe#SETUP_SQ_AFF}: the CPU of the poll thread
 */
public record RingSetup(int entries, int cqEntries, int flags, int sqThreadIdleMillis, int sqThreadCpu) {

    public RingSetup {
        if (entries < 1 || entries > 32768) {
            throw new IllegalArgumentException("SQ entries must be in [1, 32768]: " + entries);
        }
        if (cqEntries < 0) {
            throw new IllegalArgumentException("CQ entries must not be negative: " + cqEntries);
        }
    }

    /** The same setup with other flags. */
    public RingSetup withFlags(int newFlags) {
        return new RingSetup(entries, cqEntries, newFlags, sqThreadIdleMillis, sqThreadCpu);
    }
}
