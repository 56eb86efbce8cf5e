package dev.logcore.io.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link KernelRing} that runs SQEs in Java against in-memory files, so the engine's logic can be
 * driven into the corners the kernel reaches only by chance: short writes and reads, failed links,
 * operations that wait until cancelled, operations that ignore cancellation, missing opcodes.
 * It decodes exactly the SQE fields the engine writes, with the kernel's rules for links (a failed
 * or short member cancels the rest of its chain with ECANCELED).
 */
@SuppressWarnings("restricted") // it plays the kernel: it reads and writes memory by address
final class FakeRing implements KernelRing {
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt S32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int ECANCELED = 125;

    /** Knobs and records, shared by the rings one {@link Kernel} makes. */
    static final class Kernel {
        final Map<String, FakeFile> files = new HashMap<>();
        final BitSet supported = new BitSet();
        int rejectFlags;             // setup flags answered with EINVAL
        int maxWrite = Integer.MAX_VALUE;
        int maxRead = Integer.MAX_VALUE;
        int cqeCapacity = 64;
        boolean holdFifoReads;       // reads on paths ending ".fifo" wait
        boolean stuck;               // held reads ignore cancellation
        final List<String> log = new ArrayList<>();
        int maxIovecs;
        int fsyncs;
        int blockingCalls;
        final List<FakeRing> rings = new ArrayList<>();

        Kernel() {
            for (int op : new int[] {Sqe.OP_NOP, Sqe.OP_READV, Sqe.OP_WRITEV, Sqe.OP_FSYNC, Sqe.OP_READ_FIXED,
                Sqe.OP_WRITE_FIXED, Sqe.OP_TIMEOUT, Sqe.OP_ASYNC_CANCEL, Sqe.OP_FALLOCATE, Sqe.OP_OPENAT, Sqe.OP_CLOSE,
                Sqe.OP_FILES_UPDATE, Sqe.OP_STATX, Sqe.OP_READ, Sqe.OP_WRITE, Sqe.OP_FTRUNCATE}) {
                supported.set(op);
            }
        }

        KernelRing open(RingSetup setup) throws RingException {
            if ((setup.flags() & rejectFlags) != 0) {
                throw new RingException("io_uring_setup", 22);
            }
            FakeRing r = new FakeRing(this, setup);
            synchronized (rings) {
                rings.add(r);
            }
            return r;
        }

        synchronized FakeFile file(String path) {
            return files.get(path);
        }
    }

    static final class FakeFile {
        byte[] data = new byte[0];
        long size;

        synchronized void write(long off, byte[] src) {
            ensure(off + src.length);
            System.arraycopy(src, 0, data, (int) off, src.length);
            size = Math.max(size, off + src.length);
        }

        synchronized byte[] read(long off, int len) {
            int n = (int) Math.max(0, Math.min(len, size - off));
            byte[] out = new byte[n];
            if (n > 0) {
                System.arraycopy(data, (int) off, out, 0, n);
            }
            return out;
        }

        synchronized void truncate(long len) {
            ensure(len);
            if (len < size) {
                java.util.Arrays.fill(data, (int) len, (int) size, (byte) 0);
            }
            size = len;
        }

        private void ensure(long n) {
            if (n > data.length) {
                data = java.util.Arrays.copyOf(data, (int) Math.max(n, data.length * 2L));
            }
        }
    }

    private record Pending(long ud, int fd, long addr, int len, boolean wake) {
    }

    private final Kernel k;
    private final RingSetup setup;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment sqes;
    private final MemorySegment cqes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<long[]> ready = new ArrayDeque<>();
    private final List<Pending> pending = new ArrayList<>();
    private final List<long[]> timeouts = new ArrayList<>(); // {ud, deadlineNanos}
    private final Map<Integer, FakeFile> fds = new HashMap<>();
    private final Map<Integer, Integer> fdFlags = new HashMap<>();
    private int[] fixed;
    private MemorySegment[] buffers;
    private long wakeCount;
    private long enters;
    private int nextFd = 100;
    volatile boolean closed;
    static final int WAKE_FD = 7;

    private FakeRing(Kernel k, RingSetup setup) {
        this.k = k;
        this.setup = setup;
        this.sqes = arena.allocate((long) setup.entries() * Sqe.SIZE, 64);
        this.cqes = arena.allocate((long) k.cqeCapacity * Sqe.CQE_SIZE, 64);
    }

    @Override
    public RingInfo info() {
        return new RingInfo(setup.entries(), Math.max(setup.cqEntries(), 2 * setup.entries()), k.cqeCapacity, setup.flags(),
                Sqe.FEAT_NODROP, k.supported);
    }

    @Override
    public MemorySegment sqes() {
        return sqes;
    }

    @Override
    public int sqSpace() {
        return setup.entries();
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
        lock.lock();
        try {
            if (closed) {
                return -9;
            }
            if (count > 0 || minComplete > 0) {
                enters++;
            }
            boolean chainFailed = false;
            for (int i = 0; i < count; i++) {
                long at = sqeOffset(i);
                int opcode = sqes.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
                int flags = sqes.get(ValueLayout.JAVA_BYTE, at + 1) & 0xFF;
                long ud = sqes.get(U64, at + 32);
                if (chainFailed) {
                    k.log.add("cancelled-by-link " + Sqe.opName(opcode));
                    ready.add(new long[] {ud, -ECANCELED});
                } else {
                    long[] r = run(opcode, flags, at, ud);
                    if (r != null) {
                        ready.add(r);
                        int expected = sqes.get(S32, at + 24);
                        boolean rw = opcode == Sqe.OP_WRITE || opcode == Sqe.OP_WRITE_FIXED || opcode == Sqe.OP_READ
                                || opcode == Sqe.OP_READ_FIXED;
                        if ((flags & Sqe.IOSQE_IO_LINK) != 0 && (r[1] < 0 || (rw && r[1] < expected)
                                || (opcode == Sqe.OP_WRITEV && r[1] < iovTotal(at)))) {
                            chainFailed = true;
                        }
                    }
                }
                if ((flags & Sqe.IOSQE_IO_LINK) == 0) {
                    chainFailed = false;
                }
            }
            long now = System.nanoTime();
            while (ready.size() < minComplete) {
                long next = Long.MAX_VALUE;
                for (Iterator<long[]> it = timeouts.iterator(); it.hasNext(); ) {
                    long[] t = it.next();
                    if (t[1] - now <= 0) {
                        it.remove();
                        ready.add(new long[] {t[0], -62}); // ETIME
                    } else {
                        next = Math.min(next, t[1]);
                    }
                }
                if (ready.size() >= minComplete) {
                    break;
                }
                try {
                    if (next == Long.MAX_VALUE) {
                        changed.await();
                    } else {
                        changed.awaitNanos(next - now);
                    }
                } catch (InterruptedException e) {
                    return -4;
                }
                now = System.nanoTime();
            }
            int n = 0;
            while (n < k.cqeCapacity && !ready.isEmpty()) {
                long[] c = ready.poll();
                cqes.set(U64, (long) n * 16, c[0]);
                cqes.set(S32, (long) n * 16 + 8, (int) c[1]);
                cqes.set(S32, (long) n * 16 + 12, 0);
                n++;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    private long iovTotal(long at) {
        long iov = sqes.get(U64, at + 16);
        int n = sqes.get(S32, at + 24);
        MemorySegment v = MemorySegment.ofAddress(iov).reinterpret((long) n * 16);
        long t = 0;
        for (int i = 0; i < n; i++) {
            t += Sqe.iovLen(v, i);
        }
        return t;
    }

    private FakeFile fileOf(int flags, int fd) {
        int real = (flags & Sqe.IOSQE_FIXED_FILE) != 0 ? (fixed != null && fd < fixed.length ? fixed[fd] : -1) : fd;
        return fds.get(real);
    }

    private boolean writable(int flags, int fd) {
        int real = (flags & Sqe.IOSQE_FIXED_FILE) != 0 ? (fixed != null && fd < fixed.length ? fixed[fd] : -1) : fd;
        Integer f = fdFlags.get(real);
        return f != null && (f & 3) != Sqe.O_RDONLY;
    }

    /** Runs one SQE; null if it waits (pending or timeout). */
    private long[] run(int opcode, int flags, long at, long ud) {
        int fd = sqes.get(S32, at + 4);
        long off = sqes.get(U64, at + 8);
        long addr = sqes.get(U64, at + 16);
        int len = sqes.get(S32, at + 24);
        int opFlags = sqes.get(S32, at + 28);
        int bufIndex = sqes.get(ValueLayout.JAVA_SHORT_UNALIGNED, at + 40) & 0xFFFF;
        k.log.add(Sqe.opName(opcode) + ((flags & Sqe.IOSQE_IO_LINK) != 0 ? "+LINK" : "") + ((flags & Sqe.IOSQE_FIXED_FILE) != 0 ? "+FIXED" : ""));
        if (!k.supported.get(opcode)) {
            return new long[] {ud, -22};
        }
        switch (opcode) {
            case Sqe.OP_READ, Sqe.OP_READ_FIXED -> {
                if (fd == WAKE_FD) {
                    if (wakeCount > 0) {
                        wakeCount = 0;
                        return new long[] {ud, 8};
                    }
                    pending.add(new Pending(ud, fd, addr, len, true));
                    return null;
                }
                if (opcode == Sqe.OP_READ_FIXED && !inBuffer(bufIndex, addr, len)) {
                    return new long[] {ud, -14};
                }
                FakeFile f = fileOf(flags, fd);
                if (f == null) {
                    return new long[] {ud, -9};
                }
                if (k.holdFifoReads && f == k.file("hold.fifo")) {
                    pending.add(new Pending(ud, fd, addr, len, false));
                    return null;
                }
                byte[] b = f.read(off, Math.min(len, k.maxRead));
                MemorySegment.copy(b, 0, MemorySegment.ofAddress(addr).reinterpret(len), ValueLayout.JAVA_BYTE, 0, b.length);
                return new long[] {ud, b.length};
            }
            case Sqe.OP_WRITE, Sqe.OP_WRITE_FIXED -> {
                if (opcode == Sqe.OP_WRITE_FIXED && !inBuffer(bufIndex, addr, len)) {
                    return new long[] {ud, -14};
                }
                FakeFile f = fileOf(flags, fd);
                if (f == null || !writable(flags, fd)) {
                    return new long[] {ud, -9};
                }
                int n = Math.min(len, k.maxWrite);
                byte[] b = new byte[n];
                MemorySegment.copy(MemorySegment.ofAddress(addr).reinterpret(len), ValueLayout.JAVA_BYTE, 0, b, 0, n);
                f.write(off, b);
                return new long[] {ud, n};
            }
            case Sqe.OP_WRITEV -> {
                if (len > Sqe.IOV_MAX) {
                    return new long[] {ud, -22};
                }
                k.maxIovecs = Math.max(k.maxIovecs, len);
                FakeFile f = fileOf(flags, fd);
                if (f == null || !writable(flags, fd)) {
                    return new long[] {ud, -9};
                }
                MemorySegment v = MemorySegment.ofAddress(addr).reinterpret((long) len * 16);
                long pos = off;
                int budget = k.maxWrite;
                int total = 0;
                for (int i = 0; i < len && budget > 0; i++) {
                    int l = (int) Math.min(Sqe.iovLen(v, i), budget);
                    byte[] b = new byte[l];
                    MemorySegment.copy(MemorySegment.ofAddress(Sqe.iovBase(v, i)).reinterpret(l), ValueLayout.JAVA_BYTE, 0, b, 0, l);
                    f.write(pos, b);
                    pos += l;
                    budget -= l;
                    total += l;
                }
                return new long[] {ud, total};
            }
            case Sqe.OP_FSYNC -> {
                k.fsyncs++;
                return new long[] {ud, fileOf(flags, fd) == null ? -9 : 0};
            }
            case Sqe.OP_OPENAT -> {
                String path = MemorySegment.ofAddress(addr).reinterpret(4096).getString(0, StandardCharsets.UTF_8);
                FakeFile f;
                synchronized (k) {
                    f = k.files.get(path);
                    if (f == null) {
                        if ((opFlags & Sqe.O_CREAT) == 0) {
                            return new long[] {ud, -2};
                        }
                        f = new FakeFile();
                        k.files.put(path, f);
                    }
                }
                int nfd = nextFd++;
                fds.put(nfd, f);
                fdFlags.put(nfd, opFlags);
                return new long[] {ud, nfd};
            }
            case Sqe.OP_CLOSE -> {
                return new long[] {ud, fds.remove(fd) == null ? -9 : 0};
            }
            case Sqe.OP_FILES_UPDATE -> {
                int v = MemorySegment.ofAddress(addr).reinterpret(4).get(S32, 0);
                if (fixed == null || off >= fixed.length) {
                    return new long[] {ud, -22};
                }
                fixed[(int) off] = v;
                return new long[] {ud, 1};
            }
            case Sqe.OP_STATX -> {
                FakeFile f = fds.get(fd);
                if (f == null) {
                    return new long[] {ud, -9};
                }
                MemorySegment.ofAddress(off).reinterpret(256).set(U64, Sqe.STATX_OFF_SIZE, f.size);
                return new long[] {ud, 0};
            }
            case Sqe.OP_FTRUNCATE -> {
                FakeFile f = fileOf(flags, fd);
                if (f == null) {
                    return new long[] {ud, -9};
                }
                f.truncate(off);
                return new long[] {ud, 0};
            }
            case Sqe.OP_FALLOCATE -> {
                FakeFile f = fileOf(flags, fd);
                if (f == null) {
                    return new long[] {ud, -9};
                }
                if (off + addr > f.size) {
                    f.truncate(off + addr);
                }
                return new long[] {ud, 0};
            }
            case Sqe.OP_ASYNC_CANCEL -> {
                for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
                    Pending p = it.next();
                    if (p.ud == addr) {
                        if (k.stuck && !p.wake) {
                            return new long[] {ud, -114}; // EALREADY: running, cannot be stopped
                        }
                        it.remove();
                        ready.add(new long[] {p.ud, -ECANCELED});
                        return new long[] {ud, 0};
                    }
                }
                return new long[] {ud, -2};
            }
            case Sqe.OP_TIMEOUT -> {
                MemorySegment ts = MemorySegment.ofAddress(addr).reinterpret(16);
                long nanos = ts.get(U64, 0) * 1_000_000_000L + ts.get(U64, 8);
                timeouts.add(new long[] {ud, System.nanoTime() + nanos});
                return null;
            }
            case Sqe.OP_READV -> {
                FakeFile f = fileOf(flags, fd);
                if (f == null) {
                    return new long[] {ud, -9};
                }
                MemorySegment v = MemorySegment.ofAddress(addr).reinterpret(16);
                int l = (int) Sqe.iovLen(v, 0);
                byte[] b = f.read(off, Math.min(l, k.maxRead));
                MemorySegment.copy(b, 0, MemorySegment.ofAddress(Sqe.iovBase(v, 0)).reinterpret(l), ValueLayout.JAVA_BYTE, 0, b.length);
                return new long[] {ud, b.length};
            }
            default -> {
                return new long[] {ud, -22};
            }
        }
    }

    private boolean inBuffer(int index, long addr, int len) {
        if (buffers == null || index >= buffers.length) {
            return false;
        }
        MemorySegment b = buffers[index];
        return addr >= b.address() && addr + len <= b.address() + b.byteSize();
    }

    /** Completes held reads with {@code data} (the FIFO got written). */
    void feedHeld(byte[] data) {
        lock.lock();
        try {
            for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
                Pending p = it.next();
                if (!p.wake) {
                    it.remove();
                    int n = Math.min(p.len, data.length);
                    MemorySegment.copy(data, 0, MemorySegment.ofAddress(p.addr).reinterpret(p.len), ValueLayout.JAVA_BYTE, 0, n);
                    ready.add(new long[] {p.ud, n});
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int heldReads() {
        lock.lock();
        try {
            return (int) pending.stream().filter(p -> !p.wake).count();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long enterCalls() {
        lock.lock();
        try {
            return enters;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void registerBuffers(MemorySegment[] regions) {
        buffers = regions.clone();
    }

    @Override
    public void registerFiles(int slots) {
        fixed = new int[slots];
        java.util.Arrays.fill(fixed, -1);
    }

    @Override
    public int wakeFd() {
        return WAKE_FD;
    }

    @Override
    public void wake() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
                Pending p = it.next();
                if (p.wake) {
                    it.remove();
                    ready.add(new long[] {p.ud, 8});
                    changed.signalAll();
                    return;
                }
            }
            wakeCount++;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int openFile(MemorySegment path, int flags, int mode) {
        k.blockingCalls++;
        String p = path.reinterpret(4096).getString(0, StandardCharsets.UTF_8);
        lock.lock();
        try {
            FakeFile f;
            synchronized (k) {
                f = k.files.get(p);
                if (f == null) {
                    if ((flags & Sqe.O_CREAT) == 0) {
                        return -2;
                    }
                    f = new FakeFile();
                    k.files.put(p, f);
                }
            }
            int nfd = nextFd++;
            fds.put(nfd, f);
            fdFlags.put(nfd, flags);
            return nfd;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int closeFile(int fd) {
        k.blockingCalls++;
        lock.lock();
        try {
            return fds.remove(fd) == null ? -9 : 0;
        } finally {
            lock.unlock();
        }
    }

    /** A blocking call on one open file (the fallbacks): counted, under the lock, -EBADF for an unknown fd. */
    private long onFile(int fd, java.util.function.ToLongFunction<FakeFile> call) {
        k.blockingCalls++;
        lock.lock();
        try {
            FakeFile f = fds.get(fd);
            return f == null ? -9 : call.applyAsLong(f);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int truncate(int fd, long length) {
        return (int) onFile(fd, f -> {
            f.truncate(length);
            return 0;
        });
    }

    @Override
    public int fallocate(int fd, int mode, long offset, long length) {
        return (int) onFile(fd, f -> {
            if (offset + length > f.size) {
                f.truncate(offset + length);
            }
            return 0;
        });
    }

    @Override
    public long fileSize(int fd) {
        return onFile(fd, f -> f.size);
    }

    int openFds() {
        lock.lock();
        try {
            return fds.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
        arena.close();
    }
}
