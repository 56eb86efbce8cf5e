package dev.logcore.io.uring.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.SaveError;

/**
 * For tests: a seccomp filter that makes io_uring_setup fail with a chosen errno in this thread and
 * the threads it starts, the way Docker's default profile (EPERM) or a kernel without io_uring
 * (ENOSYS) would. Written with jnr-ffi like the provider, so the tests need no C.
 */
final class SeccompFilter {
    /** The two libc calls needed, at most five integer arguments (see {@link LibC}). */
    public interface Prctl {
        @SaveError
        int prctl(int option, long arg2, long arg3, long arg4, long arg5);
    }

    private static final int PR_SET_NO_NEW_PRIVS = 38;
    private static final int PR_SET_SECCOMP = 22;
    private static final int SECCOMP_MODE_FILTER = 2;
    private static final int SECCOMP_RET_ALLOW = 0x7fff0000;
    private static final int SECCOMP_RET_ERRNO = 0x00050000;
    private static final short LD_W_ABS = 0x20;
    private static final short JEQ_K = 0x15;
    private static final short RET_K = 0x06;

    private SeccompFilter() {
    }

    static void refuseIoUringSetup(int errno) {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        int auditArch = switch (arch) {
            case "amd64", "x86_64" -> 0xC000003E;
            case "aarch64" -> 0xC00000B7;
            default -> throw new IllegalStateException("no seccomp arch value for " + arch);
        };
        Prctl libc = LibraryLoader.create(Prctl.class).load("c");
        Arena arena = Arena.global();
        MemorySegment prog = arena.allocate(7 * 8L, 8);
        int i = 0;
        i = insn(prog, i, LD_W_ABS, 0, 0, 4);                    // A = seccomp_data.arch
        i = insn(prog, i, JEQ_K, 1, 0, auditArch);               // our arch? skip the allow
        i = insn(prog, i, RET_K, 0, 0, SECCOMP_RET_ALLOW);
        i = insn(prog, i, LD_W_ABS, 0, 0, 0);                    // A = seccomp_data.nr
        i = insn(prog, i, JEQ_K, 0, 1, Syscalls.SYS_IO_URING_SETUP);
        i = insn(prog, i, RET_K, 0, 0, SECCOMP_RET_ERRNO | errno);
        insn(prog, i, RET_K, 0, 0, SECCOMP_RET_ALLOW);
        MemorySegment fprog = arena.allocate(16, 8); // struct sock_fprog { u16 len; struct sock_filter *filter; }
        fprog.set(ValueLayout.JAVA_SHORT, 0, (short) 7);
        fprog.set(ValueLayout.JAVA_LONG, 8, prog.address());
        if (libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
            throw new IllegalStateException("prctl(PR_SET_NO_NEW_PRIVS) failed");
        }
        if (libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, fprog.address(), 0, 0) != 0) {
            throw new IllegalStateException("prctl(PR_SET_SECCOMP) failed");
        }
    }

    /** struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; } */
    private static int insn(MemorySegment prog, int i, short code, int jt, int jf, int k) {
        long at = 8L * i;
        prog.set(ValueLayout.JAVA_SHORT, at, code);
        prog.set(ValueLayout.JAVA_BYTE, at + 2, (byte) jt);
        prog.set(ValueLayout.JAVA_BYTE, at + 3, (byte) jf);
        prog.set(ValueLayout.JAVA_INT, at + 4, k);
        return i + 1;
    }
}
