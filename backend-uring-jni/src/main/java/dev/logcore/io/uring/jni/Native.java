package dev.logcore.io.uring.jni;

/**
 * The JNI entry points of {@code liblogcore_uring_jni.so} (src/main/c/lc_jni.c). Every function
 * returns {@code -errno} on failure and never throws from native code; handles are the native
 * {@code struct lc_ring *}. Only {@link NativeRing} and the tests call these.
 */
final class Native {
    private Native() {
    }

    /** Indices of the {@code long[] out} of {@link #create}. */
    static final int OUT_SQ_ENTRIES = 0;
    static final int OUT_CQ_ENTRIES = 1;
    static final int OUT_FLAGS = 2;
    static final int OUT_FEATURES = 3;
    static final int OUT_CQE_CAP = 4;
    static final int OUT_WAKE_FD = 5;
    static final int OUT_SQE_STAGE = 6;
    static final int OUT_CQE_OUT = 7;
    static final int OUT_CTL = 8;
    static final int OUT_RING_FD = 9;
    static final int OUT_LENGTH = 10;

    /**
     * Sets up a ring ({@code io_uring_queue_init_params}), its eventfd and the shared arrays.
     *
     * @return the handle, or {@code -errno}
     */
    static native long create(int entries, int cqEntries, int flags, int sqIdleMillis, int sqCpu, long[] out);

    /** Fills {@code ops[i] = 1} for each opcode the kernel supports; the number supported, or {@code -errno}. */
    static native int probe(long handle, byte[] ops);

    /** Copies {@code n} staged SQEs into the SQ ring, enters once, copies ready CQEs out. */
    static native int submitAndReap(long handle, int n, int minComplete);

    /** {@code IORING_REGISTER_BUFFERS} with one iovec per (address, length) pair. */
    static native int registerBuffers(long handle, long[] addresses, long[] lengths);

    /** A sparse fixed file table of {@code slots} entries. */
    static native int registerFiles(long handle, int slots);

    /** Writes 1 to the ring's eventfd. */
    static native int wake(long handle);

    /** Unregisters, unmaps, closes and frees everything of the ring. */
    static native void destroy(long handle);

    static native int open(long pathAddress, int flags, int mode);

    static native int close(int fd);

    static native int ftruncate(int fd, long length);

    static native int fallocate(int fd, int mode, long offset, long length);

    /** {@code st_size} from fstat, or {@code -errno}. */
    static native long fileSize(int fd);

    /** The C compiler's own sizeof/offsetof and ABI constants, as {@code name=value;...}. */
    static native String layout();
}
