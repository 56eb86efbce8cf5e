package dev.logcore.io.uring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The kernel's io_uring ABI as the engine uses it: the layouts of {@code struct io_uring_sqe} and
 * {@code struct io_uring_cqe}, opcodes, SQE and setup flags ({@code <linux/io_uring.h>}). The
 * uring-jni build checks every layout constant here against the C compiler's own
 * {@code sizeof}/{@code offsetof} (LayoutTest).
 *
 * <p>An SQE is written as eight little-endian 64-bit words (the ABI is native-endian, and both
 * platforms this project targets, x86_64 and aarch64, are little-endian), so every byte of the
 * slot is set and stale bytes of an earlier SQE never leak into a later one.
 */
public final class Sqe {
    private Sqe() {
    }

    // ------------------------------------------------------------------ struct io_uring_sqe (64 bytes)
    public static final int SIZE = 64;
    public static final int OFF_OPCODE = 0;      // __u8
    public static final int OFF_FLAGS = 1;       // __u8
    public static final int OFF_IOPRIO = 2;      // __u16
    public static final int OFF_FD = 4;          // __s32
    public static final int OFF_OFF = 8;         // __u64 off / addr2
    public static final int OFF_ADDR = 16;       // __u64 addr
    public static final int OFF_LEN = 24;        // __u32
    public static final int OFF_OP_FLAGS = 28;   // __u32 rw_flags / fsync_flags / open_flags / ...
    public static final int OFF_USER_DATA = 32;  // __u64
    public static final int OFF_BUF_INDEX = 40;  // __u16
    public static final int OFF_PERSONALITY = 42; // __u16
    public static final int OFF_FILE_INDEX = 44; // __u32 file_index / __s32 splice_fd_in
    public static final int OFF_ADDR3 = 48;      // __u64

    // ------------------------------------------------------------------ struct io_uring_cqe (16 bytes)
    public static final int CQE_SIZE = 16;
    public static final int CQE_OFF_USER_DATA = 0; // __u64
    public static final int CQE_OFF_RES = 8;       // __s32
    public static final int CQE_OFF_FLAGS = 12;    // __u32

    // ------------------------------------------------------------------ other structs the engine fills
    /** {@code struct iovec}: {@code void *iov_base; size_t iov_len}. */
    public static final int IOVEC_SIZE = 16;
    /** {@code struct __kernel_timespec}: {@code s64 tv_sec; long long tv_nsec}. */
    public static final int TIMESPEC_SIZE = 16;
    /** {@code struct statx} is 256 bytes; {@code stx_size} (a __u64) is at 40. */
    public static final int STATX_SIZE = 256;
    public static final int STATX_OFF_SIZE = 40;
    public static final int STATX_OFF_MODE = 28;  // __u16 stx_mode

    // ------------------------------------------------------------------ opcodes (enum io_uring_op)
    public static final int OP_NOP = 0;
    public static final int OP_READV = 1;
    public static final int OP_WRITEV = 2;
    public static final int OP_FSYNC = 3;
    public static final int OP_READ_FIXED = 4;
    public static final int OP_WRITE_FIXED = 5;
    public static final int OP_TIMEOUT = 11;
    public static final int OP_ASYNC_CANCEL = 14;
    public static final int OP_FALLOCATE = 17;
    public static final int OP_OPENAT = 18;
    public static final int OP_CLOSE = 19;
    public static final int OP_FILES_UPDATE = 20;
    public static final int OP_STATX = 21;
    public static final int OP_READ = 22;
    public static final int OP_WRITE = 23;
    /** Linux 6.9. */
    public static final int OP_FTRUNCATE = 55;

    /** The names of the opcodes above, for settings and messages. */
    public static String opName(int op) {
        return switch (op) {
            case OP_NOP -> "NOP";
            case OP_READV -> "READV";
            case OP_WRITEV -> "WRITEV";
            case OP_FSYNC -> "FSYNC";
            case OP_READ_FIXED -> "READ_FIXED";
            case OP_WRITE_FIXED -> "WRITE_FIXED";
            case OP_TIMEOUT -> "TIMEOUT";
            case OP_ASYNC_CANCEL -> "ASYNC_CANCEL";
            case OP_FALLOCATE -> "FALLOCATE";
            case OP_OPENAT -> "OPENAT";
            case OP_CLOSE -> "CLOSE";
            case OP_FILES_UPDATE -> "FILES_UPDATE";
            case OP_STATX -> "STATX";
            case OP_READ -> "READ";
            case OP_WRITE -> "WRITE";
            case OP_FTRUNCATE -> "FTRUNCATE";
            default -> "op " + op;
        };
    }

    /** The opcode of a name from {@link #opName}, or -1. */
    public static int opByName(String name) {
        for (int op = 0; op <= OP_FTRUNCATE; op++) {
            if (opName(op).equalsIgnoreCase(name.trim())) {
                return op;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ SQE flags (sqe->flags)
    public static final int IOSQE_FIXED_FILE = 1;
    public static final int IOSQE_IO_DRAIN = 1 << 1;
    public static final int IOSQE_IO_LINK = 1 << 2;
    public static final int IOSQE_IO_HARDLINK = 1 << 3;
    public static final int IOSQE_ASYNC = 1 << 4;
    public static final int IOSQE_CQE_SKIP_SUCCESS = 1 << 6;

    /** fsync_flags: fdatasync instead of fsync. */
    public static final int FSYNC_DATASYNC = 1;
    /** cancel_flags. */
    public static final int ASYNC_CANCEL_ALL = 1;
    public static final int ASYNC_CANCEL_ANY = 1 << 2;

    // ------------------------------------------------------------------ setup flags (params.flags)
    public static final int SETUP_IOPOLL = 1;
    public static final int SETUP_SQPOLL = 1 << 1;
    public static final int SETUP_SQ_AFF = 1 << 2;
    public static final int SETUP_CQSIZE = 1 << 3;
    public static final int SETUP_CLAMP = 1 << 4;
    public static final int SETUP_SUBMIT_ALL = 1 << 7;
    public static final int SETUP_COOP_TASKRUN = 1 << 8;
    public static final int SETUP_SINGLE_ISSUER = 1 << 12;
    public static final int SETUP_DEFER_TASKRUN = 1 << 13;

    /** Setup flags by name, for messages. */
    public static String setupFlagNames(int flags) {
        StringBuilder sb = new StringBuilder();
        String[] names = {"IOPOLL", "SQPOLL", "SQ_AFF", "CQSIZE", "CLAMP", "ATTACH_WQ", "R_DISABLED", "SUBMIT_ALL",
            "COOP_TASKRUN", "TASKRUN_FLAG", "SQE128", "CQE32", "SINGLE_ISSUER", "DEFER_TASKRUN", "NO_MMAP",
            "REGISTERED_FD_ONLY", "NO_SQARRAY"};
        for (int i = 0; i < 32; i++) {
            if ((flags & (1 << i)) != 0) {
                if (sb.length() > 0) {
                    sb.append('|');
                }
                sb.append(i < names.length ? names[i] : "bit" + i);
            }
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }

    // ------------------------------------------------------------------ features (params.features)
    public static final int FEAT_NODROP = 1 << 1;
    public static final int FEAT_SUBMIT_STABLE = 1 << 2;
    public static final int FEAT_NATIVE_WORKERS = 1 << 9;

    // ------------------------------------------------------------------ misc ABI values
    public static final int AT_FDCWD = -100;
    public static final int AT_EMPTY_PATH = 0x1000;
    public static final int STATX_SIZE_MASK = 0x200; // STATX_SIZE
    public static final int STATX_TYPE_MASK = 0x1;   // STATX_TYPE
    /** The most iovecs one readv/writev takes (UIO_MAXIOV). */
    public static final int IOV_MAX = 1024;

    /** open(2) flags (x86_64/aarch64 generic values). */
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_TRUNC = 01000;
    public static final int O_DSYNC = 010000;
    public static final int O_DIRECT = 040000;
    public static final int O_LARGEFILE = 0100000;
    public static final int O_CLOEXEC = 02000000;

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = WORD;

    /**
     * Writes a whole SQE at {@code at} in {@code area}.
     *
     * @param opcode an {@code OP_*}
     * @param flags {@code IOSQE_*}
     * @param fd the file descriptor, or the fixed-file slot with {@link #IOSQE_FIXED_FILE}
     * @param off the file offset (or addr2)
     * @param addr the buffer / iovec / path address (or the length, for fallocate)
     * @param len the length / iovec count / mode
     * @param opFlags rw_flags, fsync_flags, open_flags, ...
     * @param userData what the completion will carry
     * @param bufIndex the registered buffer index for the fixed opcodes
     */
    public static void write(MemorySegment area, long at, int opcode, int flags, int fd, long off, long addr, int len,
            int opFlags, long userData, int bufIndex) {
        area.set(WORD, at, (opcode & 0xFFL) | ((flags & 0xFFL) << 8) | ((long) fd << 32));
        area.set(WORD, at + 8, off);
        area.set(WORD, at + 16, addr);
        area.set(WORD, at + 24, (len & 0xFFFF_FFFFL) | ((long) opFlags << 32));
        area.set(WORD, at + 32, userData);
        area.set(WORD, at + 40, bufIndex & 0xFFFFL);
        area.set(WORD, at + 48, 0L);
        area.set(WORD, at + 56, 0L);
    }

    /** The user_data of completion {@code i} in a CQE area. */
    public static long cqeUserData(MemorySegment cqes, int i) {
        return cqes.get(LONG, (long) i * CQE_SIZE + CQE_OFF_USER_DATA);
    }

    /** The result of completion {@code i} in a CQE area. */
    public static int cqeRes(MemorySegment cqes, int i) {
        return cqes.get(INT, (long) i * CQE_SIZE + CQE_OFF_RES);
    }

    /** The flags of completion {@code i} in a CQE area. */
    public static int cqeFlags(MemorySegment cqes, int i) {
        return cqes.get(INT, (long) i * CQE_SIZE + CQE_OFF_FLAGS);
    }

    /** Writes {@code struct iovec} {@code i} of an iovec array. */
    public static void iovec(MemorySegment iovs, int i, long base, long len) {
        iovs.set(LONG, (long) i * IOVEC_SIZE, base);
        iovs.set(LONG, (long) i * IOVEC_SIZE + 8, len);
    }

    /** Reads the base of iovec {@code i}. */
    public static long iovBase(MemorySegment iovs, int i) {
        return iovs.get(LONG, (long) i * IOVEC_SIZE);
    }

    /** Reads the length of iovec {@code i}. */
    public static long iovLen(MemorySegment iovs, int i) {
        return iovs.get(LONG, (long) i * IOVEC_SIZE + 8);
    }
}
