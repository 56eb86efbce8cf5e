package dev.logcore.io.uring.ffi;

import jnr.ffi.annotations.SaveError;

/**
 * The C library functions uring-ffi reaches through jnr-ffi: the generic {@code syscall} entry
 * (for io_uring_setup, io_uring_enter and io_uring_register, which glibc does not wrap), and the
 * memory-mapping and descriptor calls the ring needs. Nothing else of this provider is native.
 *
 * <p>Public only because jnr-ffi generates its implementation in a class loader of its own; it is
 * not an API. Use {@link Syscalls}, which checks every argument and turns {@code -1}/errno into a
 * negative errno.
 *
 * <p>{@code syscall} is declared with fixed {@code long} parameters although C declares it variadic.
 * That is sound on the LP64 Linux ABIs this provider supports (x86-64 System V and AAPCS64 pass the
 * first variadic integer arguments in the same registers as fixed ones, and glibc's {@code syscall}
 * is an assembly stub that only moves registers).
 *
 * <p><b>At most five integer parameters here.</b> jnr-ffi 2.3.4 compiles these methods into x86-64
 * trampolines that read a sixth integer argument from the wrong stack slot ({@code X86_64StubCompiler}
 * computes {@code 8 + (4 - i) * 8}, which for the sixth is the return address). Calls that need six
 * arguments (mmap, io_uring_enter) therefore go through jffi's {@code Invoker} in {@link JffiCall},
 * which passes them correctly; {@code FfiRingTest} maps the SQE region at offset 0x10000000 through it,
 * which fails if the sixth argument is wrong.
 */
public interface LibC {

    /**
     * {@code long syscall(long number, ...)} with four arguments: returns -1 with errno set on
     * failure. The kernel's fifth and sixth argument registers hold whatever they held, so only
     * system calls that read at most four arguments may use it.
     */
    @SaveError
    long syscall(long number, long a1, long a2, long a3, long a4);

    /** {@code int munmap(void *addr, size_t length)}. */
    @SaveError
    int munmap(long addr, long length);

    /** {@code int close(int fd)}. */
    @SaveError
    int close(int fd);

    /** {@code int eventfd(unsigned int initval, int flags)}. */
    @SaveError
    int eventfd(int initval, int flags);

    /** {@code ssize_t write(int fd, const void *buf, size_t count)}. */
    @SaveError
    long write(int fd, long buf, long count);

    /** {@code int open(const char *path, int flags, mode_t mode)} (variadic in C; see above). */
    @SaveError
    int open(long path, int flags, int mode);

    /** {@code int ftruncate(int fd, off_t length)}. */
    @SaveError
    int ftruncate(int fd, long length);

    /** {@code int fallocate(int fd, int mode, off_t offset, off_t len)}. */
    @SaveError
    int fallocate(int fd, int mode, long offset, long length);

    /** {@code int fstat(int fd, struct stat *buf)} (a real symbol since glibc 2.33). */
    @SaveError
    int fstat(int fd, long statBuf);
}
