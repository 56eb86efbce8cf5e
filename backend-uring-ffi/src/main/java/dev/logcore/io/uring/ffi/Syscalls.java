package dev.logcore.io.uring.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * The system calls uring-ffi makes, typed and checked: every call returns its result or a negative
 * errno (never {@code -1} with a hidden errno), and every pointer argument is a native
 * {@link MemorySegment} whose size is checked against what the kernel will read or write, so a
 * wrong length here is an exception in Java rather than a kernel write past the end of our memory.
 *
 * <p>One instance per JVM ({@link #get()}); loading jnr-ffi and libc happens on first use and a
 * failure is remembered, so {@link #loadFailure()} can explain it in the provider's probe.
 */
public final class Syscalls {
    /** io_uring's system call numbers: the same on every architecture with the unified table (5.1+). */
    static final int SYS_IO_URING_SETUP = 425;
    static final int SYS_IO_URING_ENTER = 426;
    static final int SYS_IO_URING_REGISTER = 427;

    static final int PROT_READ = 0x1;
    static final int PROT_WRITE = 0x2;
    static final int MAP_SHARED = 0x01;
    static final int MAP_POPULATE = 0x8000;
    static final int EFD_CLOEXEC = 02000000;
    /**
     * Larger than {@code struct stat} on every supported platform (144 bytes on x86-64, 128 on the
     * generic layout of aarch64 and riscv64); {@code st_size} is at byte 48 on all of them.
     */
    private static final long STAT_BYTES = 256;
    private static final long STAT_OFF_SIZE = 48;
    /** The u64 1 that eventfdAdd writes; never changed, so any thread may pass it. */
    private static final MemorySegment ONE = Arena.global().allocateFrom(ValueLayout.JAVA_LONG, 1L);
    /** glibc's MAP_FAILED. */
    private static final long MAP_FAILED = -1L;

    /** Architectures whose syscall numbers and mmap flags above are right (LP64 Linux, unified table). */
    private static final Set<String> SUPPORTED_ARCHS = Set.of("amd64", "x86_64", "aarch64", "riscv64");

    private static final class Holder {
        static final Syscalls INSTANCE;
        static final Throwable FAILURE;

        static {
            Syscalls s = null;
            Throwable failure = null;
            try {
                s = load();
            } catch (Throwable t) { // LinkageError, UnsatisfiedLinkError, jnr's RuntimeExceptions: all mean "cannot load"
                failure = t;
            }
            INSTANCE = s;
            FAILURE = failure;
        }
    }

    private final LibC libc;
    private final Runtime runtime;
    private final JffiCall syscall6;
    private final JffiCall mmap;

    private Syscalls(LibC libc, JffiCall syscall6, JffiCall mmap) {
        this.libc = libc;
        this.runtime = Runtime.getRuntime(libc);
        this.syscall6 = syscall6;
        this.mmap = mmap;
    }

    private static Syscalls load() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            throw new UnsupportedOperationException("io_uring is Linux-only; this is " + os);
        }
        if (!SUPPORTED_ARCHS.contains(arch)) {
            throw new UnsupportedOperationException("uring-ffi knows io_uring's syscall numbers only for "
                    + SUPPORTED_ARCHS + "; this is " + arch);
        }
        LibC libc = LibraryLoader.create(LibC.class).failImmediately().load("c");
        return new Syscalls(libc, JffiCall.libc("syscall"), JffiCall.libc("mmap"));
    }

    /**
     * The loaded system calls.
     *
     * @throws IllegalStateException if jnr-ffi or libc cannot be loaded here (see {@link #loadFailure()})
     */
    public static Syscalls get() {
        Syscalls s = Holder.INSTANCE;
        if (s == null) {
            throw new IllegalStateException("uring-ffi cannot reach libc through jnr-ffi: " + describe(Holder.FAILURE), Holder.FAILURE);
        }
        return s;
    }

    /** Why jnr-ffi or libc could not be loaded, or {@code null} if they were. Never throws. */
    public static Throwable loadFailure() {
        try {
            return Holder.FAILURE;
        } catch (Throwable t) { // the holder's class itself failed to initialise (jnr-ffi missing)
            return t;
        }
    }

    /** One line for a load failure: what failed, and its root cause (jnr-ffi wraps the real one). */
    static String describe(Throwable t) {
        if (t == null) {
            return "no error";
        }
        if (t instanceof NoClassDefFoundError && String.valueOf(t.getMessage()).startsWith("jnr/")) {
            return "jnr-ffi is not on the class path (" + oneLine(t) + ")";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? oneLine(t) : oneLine(t) + ", caused by " + oneLine(root);
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    /** The value as a negative errno: {@code r} itself when it is >= 0, else {@code -errno}. */
    private long checked(long r) {
        if (r != -1) {
            return r;
        }
        return negative(LastError.getLastError(runtime));
    }

    /** As {@link #checked}, for calls made through {@link JffiCall}. */
    private static long checkedJffi(long r) {
        return r != -1 ? r : negative(JffiCall.lastErrno());
    }

    private static long negative(int errno) {
        return errno > 0 ? -errno : -5; // EIO if libc failed without errno, which it should not
    }

    /**
     * io_uring_setup(2).
     *
     * @param params a native {@code struct io_uring_params}; the kernel reads and fills it
     * @return the ring's fd, or a negative errno
     */
    public int ioUringSetup(int entries, MemorySegment params) {
        requireNative(params, IoUringParams.SIZE, "io_uring_params");
        return (int) checked(libc.syscall(SYS_IO_URING_SETUP, entries, params.address(), 0, 0));
    }

    /**
     * io_uring_enter(2) without a signal mask or extended argument.
     *
     * @return the number of SQEs consumed, or a negative errno
     */
    public int ioUringEnter(int ringFd, int toSubmit, int minComplete, int flags) {
        if (toSubmit < 0 || minComplete < 0) {
            throw new IllegalArgumentException("io_uring_enter counts must not be negative: " + toSubmit + ", " + minComplete);
        }
        if ((flags & IoUringParams.ENTER_EXT_ARG) != 0) {
            throw new IllegalArgumentException("IORING_ENTER_EXT_ARG needs an argument this binding does not pass");
        }
        // The fifth argument (sigset/ext-arg pointer) must really be NULL: six arguments, see LibC.
        return (int) checkedJffi(syscall6.call(SYS_IO_URING_ENTER, ringFd, toSubmit, minComplete, flags, 0L));
    }

    /**
     * io_uring_register(2) with an argument in native memory of exactly {@code argBytes} bytes that
     * the kernel may read or fill ({@code null} with 0 for opcodes that take none).
     *
     * @return the kernel's result, or a negative errno
     */
    public int ioUringRegister(int ringFd, int opcode, MemorySegment arg, long argBytes, int nrArgs) {
        long address = 0;
        if (arg != null) {
            requireNative(arg, argBytes, "io_uring_register argument");
            address = arg.address();
        } else if (argBytes != 0) {
            throw new IllegalArgumentException("a null argument cannot have " + argBytes + " bytes");
        }
        if (nrArgs < 0) {
            throw new IllegalArgumentException("nr_args must not be negative: " + nrArgs);
        }
        return (int) checked(libc.syscall(SYS_IO_URING_REGISTER, ringFd, opcode, address, nrArgs));
    }

    /**
     * Maps {@code length} bytes of the ring fd at {@code offset}, shared, read-write, populated.
     *
     * @return the address, or a negative errno
     */
    public long mmapRing(int ringFd, long length, long offset) {
        if (length <= 0) {
            throw new IllegalArgumentException("mmap length must be positive: " + length);
        }
        long r = mmap.call(0L, length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ringFd, offset);
        if (r == MAP_FAILED) {
            return checkedJffi(-1L);
        }
        return r;
    }

    /** munmap(2); returns 0 or a negative errno. */
    public int munmap(long address, long length) {
        if (address == 0 || length <= 0) {
            throw new IllegalArgumentException("munmap of address " + address + " length " + length);
        }
        return (int) checked(libc.munmap(address, length));
    }

    /** close(2); returns 0 or a negative errno. */
    public int close(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("close of fd " + fd);
        }
        return (int) checked(libc.close(fd));
    }

    /** eventfd(2) with EFD_CLOEXEC: the fd or a negative errno. */
    public int eventfd() {
        return (int) checked(libc.eventfd(0, EFD_CLOEXEC));
    }

    /**
     * Adds 1 to an eventfd (write(2) of a native u64 1). Never blocks short of a counter at
     * 2^64-2, which a wake-up counter does not reach.
     *
     * @return 8 or a negative errno
     */
    public int eventfdAdd(int fd) {
        return (int) checked(libc.write(fd, ONE.address(), Long.BYTES));
    }

    /** open(2) of a NUL-terminated native path: the fd or a negative errno. */
    public int open(MemorySegment path, int flags, int mode) {
        Objects.requireNonNull(path, "path");
        if (!path.isNative()) {
            throw new IllegalArgumentException("the path must be native memory");
        }
        // The kernel reads up to the NUL: it must be inside the segment, or it would read past it.
        long n = path.byteSize();
        boolean terminated = false;
        for (long i = 0; i < n; i++) {
            if (path.get(ValueLayout.JAVA_BYTE, i) == 0) {
                terminated = true;
                break;
            }
        }
        if (!terminated) {
            throw new IllegalArgumentException("the path is not NUL-terminated inside its " + n + " bytes");
        }
        return (int) checked(libc.open(path.address(), flags, mode));
    }

    /** ftruncate(2): 0 or a negative errno. */
    public int ftruncate(int fd, long length) {
        return (int) checked(libc.ftruncate(fd, length));
    }

    /** fallocate(2): 0 or a negative errno. */
    public int fallocate(int fd, int mode, long offset, long length) {
        return (int) checked(libc.fallocate(fd, mode, offset, length));
    }

    /** The size from fstat(2), or a negative errno. */
    public long fileSize(int fd) {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment st = scratch.allocate(STAT_BYTES, 8);
            int r = (int) checked(libc.fstat(fd, st.address()));
            return r < 0 ? r : st.get(ValueLayout.JAVA_LONG, STAT_OFF_SIZE);
        }
    }

    private static void requireNative(MemorySegment s, long bytes, String what) {
        Objects.requireNonNull(s, what);
        if (!s.isNative()) {
            throw new IllegalArgumentException(what + " must be native memory");
        }
        if (s.byteSize() < bytes || bytes <= 0) {
            throw new IllegalArgumentException(what + " needs " + bytes + " bytes, segment has " + s.byteSize());
        }
    }
}
