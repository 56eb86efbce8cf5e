package dev.logcore.io.uring.ffi;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.Library;
import com.kenai.jffi.Type;

/**
 * A libc function of six integer (LP64 {@code long}-sized) arguments returning a {@code long},
 * called through jffi's {@link Invoker} (the layer under jnr-ffi) with errno saved. Used where the
 * sixth argument must arrive intact, which jnr-ffi's generated x86-64 stubs do not guarantee (see
 * {@link LibC}): {@code mmap}, and {@code syscall(SYS_io_uring_enter, fd, to_submit, min_complete,
 * flags, NULL)}. On x86-64 jffi's {@code invokeL6} is a JNI call that calls the function pointer
 * directly (no libffi, no allocation).
 */
final class JffiCall {
    private static final Type[] SIX_LONGS = {Type.SINT64, Type.SINT64, Type.SINT64, Type.SINT64, Type.SINT64, Type.SINT64};

    private final Invoker invoker = Invoker.getInstance();
    private final CallContext context;
    private final long function;
    private final String name;

    private JffiCall(String name, long function) {
        this.name = name;
        this.function = function;
        this.context = CallContext.getCallContext(Type.SINT64, SIX_LONGS, CallingConvention.DEFAULT, true);
    }

    /**
     * The libc function {@code name}.
     *
     * @throws UnsatisfiedLinkError if libc or the symbol cannot be found
     */
    static JffiCall libc(String name) {
        Library libc = Library.getCachedInstance("libc.so.6", Library.LAZY | Library.GLOBAL);
        if (libc == null) {
            throw new UnsatisfiedLinkError("jffi cannot open libc.so.6: " + Library.getLastError());
        }
        long address = libc.getSymbolAddress(name);
        if (address == 0) {
            throw new UnsatisfiedLinkError("libc.so.6 has no symbol " + name + ": " + Library.getLastError());
        }
        return new JffiCall(name, address);
    }

    /** Calls the function; on -1 the errno is in {@link #lastErrno()}. */
    long call(long a1, long a2, long a3, long a4, long a5, long a6) {
        return invoker.invokeL6(context, function, a1, a2, a3, a4, a5, a6);
    }

    /** The errno saved by the last call on this thread. */
    static int lastErrno() {
        return com.kenai.jffi.LastError.getInstance().get();
    }

    @Override
    public String toString() {
        return name + "@0x" + Long.toHexString(function);
    }
}
