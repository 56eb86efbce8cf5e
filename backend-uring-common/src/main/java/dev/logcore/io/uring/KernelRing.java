package dev.logcore.io.uring;

import java.lang.foreign.MemorySegment;

/**
 * The only way the ring engine reaches the kernel: one io_uring instance and the few system calls
 * around it. A provider ({@code uring-jni}, {@code uring-ffi}) implements it; everything else (SQE
 * contents, batching, in-flight tracking, completion dispatch, cancellation, fallbacks, close) is
 * the engine's, in this module. The contract is written down in {@code docs/URING-ENGINE.md}.
 *
 * <p><b>Threads.</b> A ring is opened by {@link Factory#open} on the engine's ring thread, and every
 * method below is called on that thread only, except {@link #wake()} and the blocking system calls
 * ({@link #openFile} ... {@link #fileSize}), which any thread may call at any time before
 * {@link #close()}. Rings may therefore be set up with {@code IORING_SETUP_SINGLE_ISSUER}.
 *
 * <p><b>A batch.</b> The engine asks {@link #sqSpace()}, writes up to that many 64-byte SQEs (the
 * kernel's {@code struct io_uring_sqe}, see {@link Sqe}) into {@link #sqes()} at
 * {@link #sqeOffset(int) sqeOffset(0..n-1)}, then calls {@link #submitAndReap(int, int)} once: the
 * ring hands those n SQEs to the kernel, enters the kernel at most once, and copies the completions
 * that are ready into {@link #cqes()}. Nothing is allocated and nothing crosses into native code per
 * operation.
 *
 * <p><b>Errors.</b> Hot-path methods return {@code -errno}; setup and registration throw
 * {@link RingException}. Nothing here may crash the JVM on bad input from the engine: values are
 * passed to the kernel, which checks them.
 */
public interface KernelRing extends AutoCloseable {

    /** Makes rings. Called on the engine's ring thread, which then owns the ring. */
    @FunctionalInterface
    interface Factory {
        /**
         * Sets up a ring ({@code io_uring_setup} and the mmaps) and an eventfd for {@link #wake()}.
         * Asks for exactly {@link RingSetup#flags()}; does not add or drop flags on its own (the
         * engine retries with fewer flags when the kernel says EINVAL).
         *
         * @throws RingException with the errno of the failed call (ENOSYS: no io_uring; EPERM: a
         *     seccomp filter or the sysctl; EINVAL: a flag this kernel does not know; ENOMEM ...)
         */
        KernelRing open(RingSetup setup) throws RingException;
    }

    /** What setup gave: sizes, the flags the kernel accepted, its features and opcodes. */
    RingInfo info();

    // ---------------------------------------------------------------- the batch (ring thread)

    /** The native memory the engine writes SQEs into (a staging area, or the SQ ring itself). */
    MemorySegment sqes();

    /**
     * How many SQEs the engine may write before the next {@link #submitAndReap}: at least 1 and at
     * most {@link RingInfo#sqEntries()} once the previous call returned without error.
     */
    int sqSpace();

    /** The byte offset in {@link #sqes()} of the {@code i}-th SQE of the batch being written. */
    long sqeOffset(int i);

    /**
     * The completions copied by the last {@link #submitAndReap}: {@link RingInfo#cqeCapacity()}
     * entries of 16 bytes ({@code u64 user_data, s32 res, u32 flags}, see {@link Sqe#CQE_SIZE}).
     */
    MemorySegment cqes();

    /**
     * Hands the {@code count} SQEs written at {@code sqeOffset(0 .. count-1)} to the kernel, then
     * enters the kernel once (submitting everything pending and, with
     * {@code IORING_ENTER_GETEVENTS}, running deferred completion work) waiting until at least
     * {@code minComplete} completions are ready; then copies up to
     * {@link RingInfo#cqeCapacity()} ready completions into {@link #cqes()} in ring order and
     * marks them seen. An SQPOLL ring may skip the system call when it neither waits nor needs a
     * wake-up of its poll thread.
     *
     * <p>The SQEs are the kernel's after this call whatever it returns: ones the kernel could not
     * take yet ({@code EAGAIN}, {@code EBUSY}) stay queued and go with a later call. {@code EINTR}
     * and {@code ETIME} are not errors (the call returns what is ready).
     *
     * @param count SQEs written for this batch, {@code 0 <= count <= sqSpace()}
     * @param minComplete completions to wait for (0: do not block)
     * @return the number of completions copied into {@link #cqes()} (>= 0), or {@code -errno} when
     *     entering the kernel failed in a way that is not one of the above (EBADF, EFAULT ...)
     */
    int submitAndReap(int count, int minComplete);

    /** The {@code io_uring_enter} system calls this ring made so far (for the engine's stats). */
    long enterCalls();

    // ---------------------------------------------------------------- registration (ring thread)

    /**
     * Registers memory for {@code READ_FIXED}/{@code WRITE_FIXED}: {@code regions[i]} becomes
     * buffer index {@code i} ({@code IORING_REGISTER_BUFFERS}). Each region is at most 1 GiB.
     * Called at most once per ring, before any fixed operation.
     */
    void registerBuffers(MemorySegment[] regions) throws RingException;

    /**
     * Registers an empty (sparse) fixed file table of {@code slots} entries; the engine fills and
     * clears slots with {@code IORING_OP_FILES_UPDATE} SQEs. Called at most once per ring.
     */
    void registerFiles(int slots) throws RingException;

    // ---------------------------------------------------------------- waking the ring thread

    /**
     * The eventfd the engine keeps a read armed on ({@code IORING_OP_READ}, 8 bytes), so that
     * {@link #wake()} completes it and a ring thread waiting in {@link #submitAndReap} returns.
     */
    int wakeFd();

    /** Adds 1 to the eventfd (a {@code write(2)} of 8 bytes). Any thread; never blocks. */
    void wake();

    // ---------------------------------------------------------------- blocking fallbacks (any thread)

    /** {@code open(2)} of a NUL-terminated native path: a descriptor, or {@code -errno}. */
    int openFile(MemorySegment path, int flags, int mode);

    /** {@code close(2)}: 0 or {@code -errno}. */
    int closeFile(int fd);

    /** {@code ftruncate(2)}: 0 or {@code -errno}. */
    int truncate(int fd, long length);

    /** {@code fallocate(2)}: 0 or {@code -errno}. */
    int fallocate(int fd, int mode, long offset, long length);

    /** The file's size from {@code fstat(2)}, or {@code -errno}. */
    long fileSize(int fd);

    // ---------------------------------------------------------------- the end

    /**
     * Frees the ring: unregisters what was registered, unmaps, closes the ring fd and the eventfd.
     * The engine calls it on the ring thread once nothing it submitted can still be running (or, if
     * the kernel never let go of some operation, not at all: it leaks the ring rather than free
     * memory the kernel may still use). Calling it twice is harmless.
     */
    @Override
    void close();
}
