package dev.logcore.io.uring.ffi;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct io_uring_params} (include/uapi/linux/io_uring.h), the argument of io_uring_setup:
 * what we ask for (entries, flags, SQPOLL idle time) and what the kernel answers (features and the
 * offsets of the ring's fields inside the memory we will map). Also the ring-setup constants that
 * only a provider doing its own setup (without liburing) needs; what both providers share (SQE
 * layout, opcodes, setup flags) is in {@link dev.logcore.io.uring.Sqe}.
 *
 * <p>Layout, 120 bytes: eight u32 then three reserved u32, then {@code io_sqring_offsets} at 40 and
 * {@code io_cqring_offsets} at 80 (each seven u32, one reserved u32 and a u64 user address).
 */
final class IoUringParams {
    static final long SIZE = 120;

    // struct io_uring_params
    static final long SQ_ENTRIES = 0;
    static final long CQ_ENTRIES = 4;
    static final long FLAGS = 8;
    static final long SQ_THREAD_CPU = 12;
    static final long SQ_THREAD_IDLE = 16;
    static final long FEATURES = 20;
    static final long WQ_FD = 24;
    static final long SQ_OFF = 40;
    static final long CQ_OFF = 80;

    // struct io_sqring_offsets, relative to SQ_OFF
    static final long SQO_HEAD = 0;
    static final long SQO_TAIL = 4;
    static final long SQO_RING_MASK = 8;
    static final long SQO_RING_ENTRIES = 12;
    static final long SQO_FLAGS = 16;
    static final long SQO_DROPPED = 20;
    static final long SQO_ARRAY = 24;

    // struct io_cqring_offsets, relative to CQ_OFF
    static final long CQO_HEAD = 0;
    static final long CQO_TAIL = 4;
    static final long CQO_RING_MASK = 8;
    static final long CQO_RING_ENTRIES = 12;
    static final long CQO_OVERFLOW = 16;
    static final long CQO_CQES = 20;
    static final long CQO_FLAGS = 24;

    // features the kernel reports
    static final int FEAT_SINGLE_MMAP = 1;

    // mmap offsets
    static final long OFF_SQ_RING = 0L;
    static final long OFF_CQ_RING = 0x8000000L;
    static final long OFF_SQES = 0x10000000L;

    // enter flags
    static final int ENTER_GETEVENTS = 1;
    static final int ENTER_SQ_WAKEUP = 1 << 1;
    static final int ENTER_SQ_WAIT = 1 << 2;
    static final int ENTER_EXT_ARG = 1 << 3;

    // sq ring flags (read from the shared ring)
    static final int SQ_NEED_WAKEUP = 1;
    static final int SQ_CQ_OVERFLOW = 1 << 1;
    static final int SQ_TASKRUN = 1 << 2;


    // io_uring_register opcodes
    static final int REGISTER_BUFFERS = 0;
    static final int UNREGISTER_BUFFERS = 1;
    static final int REGISTER_FILES = 2;
    static final int UNREGISTER_FILES = 3;
    static final int REGISTER_PROBE = 8;
    static final int REGISTER_FILES2 = 13;
    /** io_uring_rsrc_register.flags: a table of empty slots. */
    static final int RSRC_REGISTER_SPARSE = 1;

    private IoUringParams() {
    }

    static int u32(MemorySegment params, long offset) {
        return params.get(ValueLayout.JAVA_INT, offset);
    }

    static void putU32(MemorySegment params, long offset, int value) {
        params.set(ValueLayout.JAVA_INT, offset, value);
    }
}
