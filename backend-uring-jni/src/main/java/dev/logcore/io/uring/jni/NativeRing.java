package dev.logcore.io.uring.jni;

import dev.logcore.io.uring.KernelRing;
import dev.logcore.io.uring.RingException;
import dev.logcore.io.uring.RingInfo;
import dev.logcore.io.uring.RingSetup;
import dev.logcore.io.uring.Sqe;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.BitSet;

/**
 * {@link KernelRing} through the JNI shim over liburing. The SQE staging array, the CQE array and
 * a small control block ({@code struct lc_ctl}: enter count, SQ space) are native memory of the
 * shim, seen here as memory segments; {@link #submitAndReap} is the one JNI call per batch.
 */
final class NativeRing implements KernelRing {
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    static final long CTL_ENTERS = 0;
    static final long CTL_SQ_SPACE = 8;
    static final long CTL_SIZE = 16;

    private final long handle;
    private final RingInfo info;
    private final int wakeFd;
    private final int ringFd;
    private final MemorySegment sqes;
    private final MemorySegment cqes;
    private final MemorySegment ctl;
    /** Guards {@link #wake()} (any thread) against {@link #close()} freeing the handle under it. */
    private final Object lifecycle = new Object();
    private boolean closed;

    private NativeRing(long handle, RingInfo info, int wakeFd, int ringFd, MemorySegment sqes, MemorySegment cqes, MemorySegment ctl) {
        this.handle = handle;
        this.info = info;
        this.wakeFd = wakeFd;
        this.ringFd = ringFd;
        this.sqes = sqes;
        this.cqes = cqes;
        this.ctl = ctl;
    }

    /** The {@link KernelRing.Factory} of this provider. */
    @SuppressWarnings("restricted") // the shim's arrays, by the addresses it returned, with their sizes
    static KernelRing open(RingSetup setup) throws RingException {
        NativeLibrary.Result lib = NativeLibrary.result();
        if (!lib.loaded()) {
            throw new RingException("loading " + NativeLibrary.NAME, 38 /* ENOSYS */, lib.reason());
        }
        long[] out = new long[Native.OUT_LENGTH];
        long h = Native.create(setup.entries(), setup.cqEntries(), setup.flags(), setup.sqThreadIdleMillis(),
                setup.sqThreadCpu(), out);
        if (h < 0) {
            throw new RingException("io_uring_setup", (int) h, "flags " + Sqe.setupFlagNames(setup.flags()));
        }
        try {
            byte[] ops = new byte[256];
            int probed = Native.probe(h, ops);
            BitSet supported = null;
            if (probed >= 0) {
                supported = new BitSet(256);
                for (int i = 0; i < ops.length; i++) {
                    if (ops[i] != 0) {
                        supported.set(i);
                    }
                }
            } else if (probed != -22 /* EINVAL: no probe on this kernel */) {
                throw new RingException("IORING_REGISTER_PROBE", probed);
            }
            int sq = (int) out[Native.OUT_SQ_ENTRIES];
            int cqCap = (int) out[Native.OUT_CQE_CAP];
            RingInfo info = new RingInfo(sq, (int) out[Native.OUT_CQ_ENTRIES], cqCap, (int) out[Native.OUT_FLAGS],
                    (int) out[Native.OUT_FEATURES], supported);
            MemorySegment sqes = MemorySegment.ofAddress(out[Native.OUT_SQE_STAGE]).reinterpret((long) sq * Sqe.SIZE);
            MemorySegment cqes = MemorySegment.ofAddress(out[Native.OUT_CQE_OUT]).reinterpret((long) cqCap * Sqe.CQE_SIZE);
            MemorySegment ctl = MemorySegment.ofAddress(out[Native.OUT_CTL]).reinterpret(CTL_SIZE);
            return new NativeRing(h, info, (int) out[Native.OUT_WAKE_FD], (int) out[Native.OUT_RING_FD], sqes, cqes, ctl);
        } catch (RingException | RuntimeException | Error e) {
            Native.destroy(h);
            throw e;
        }
    }

    @Override
    public RingInfo info() {
        return info;
    }

    @Override
    public MemorySegment sqes() {
        return sqes;
    }

    @Override
    public int sqSpace() {
        return ctl.get(U32, CTL_SQ_SPACE);
    }

    @Override
    public long sqeOffset(int i) {
        return (long) i * Sqe.SIZE;
    }

    @Override
    public MemorySegment cqes() {
        return cqes;
    }

    @Override
    public int submitAndReap(int count, int minComplete) {
        return Native.submitAndReap(handle, count, minComplete);
    }

    @Override
    public long enterCalls() {
        return ctl.get(U64, CTL_ENTERS);
    }

    @Override
    public void registerBuffers(MemorySegment[] regions) throws RingException {
        long[] addrs = new long[regions.length];
        long[] lens = new long[regions.length];
        for (int i = 0; i < regions.length; i++) {
            addrs[i] = regions[i].address();
            lens[i] = regions[i].byteSize();
        }
        int r = Native.registerBuffers(handle, addrs, lens);
        if (r < 0) {
            throw new RingException("IORING_REGISTER_BUFFERS", r);
        }
    }

    @Override
    public void registerFiles(int slots) throws RingException {
        int r = Native.registerFiles(handle, slots);
        if (r < 0) {
            throw new RingException("IORING_REGISTER_FILES", r);
        }
    }

    @Override
    public int wakeFd() {
        return wakeFd;
    }

    /** The ring's own descriptor (tests count descriptors). */
    int ringFd() {
        return ringFd;
    }

    @Override
    public void wake() {
        synchronized (lifecycle) {
            if (!closed) {
                Native.wake(handle);
            }
        }
    }

    @Override
    public int openFile(MemorySegment path, int flags, int mode) {
        return Native.open(path.address(), flags, mode);
    }

    @Override
    public int closeFile(int fd) {
        return Native.close(fd);
    }

    @Override
    public int truncate(int fd, long length) {
        return Native.ftruncate(fd, length);
    }

    @Override
    public int fallocate(int fd, int mode, long offset, long length) {
        return Native.fallocate(fd, mode, offset, length);
    }

    @Override
    public long fileSize(int fd) {
        return Native.fileSize(fd);
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            Native.destroy(handle);
        }
    }
}
