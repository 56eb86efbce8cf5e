package dev.logcore.io.uring;

import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.ProviderVariant;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * The settings both io_uring providers read (documented in docs/URING.md), parsed once per engine.
 *
 * @param entries SQ ring entries ({@code uring.entries}, default 256)
 * @param cqEntries CQ ring entries ({@code uring.cqEntries}, default 4 x entries)
 * @param sqpoll a kernel thread polls the SQ ({@code uring.sqpoll}, default false)
 * @param sqpollIdleMillis how long it spins before sleeping ({@code uring.sqpollIdleMs}, default 50)
 * @param sqpollCpu pin it to a CPU ({@code uring.sqpollCpu}, default -1: not pinned)
 * @param registeredBufferMiB size of the registered buffer pool that {@code allocate} serves
 *     ({@code uring.registeredBuffers}, MiB, default 16; 0 turns it off)
 * @param registeredFiles slots of the fixed file table ({@code uring.registeredFiles}, default
 *     256; 0 turns it off)
 * @param deferTaskrun ask for SINGLE_ISSUER|DEFER_TASKRUN ({@code uring.deferTaskrun}, default true)
 * @param submitBatch most SQEs handed to the kernel by one {@code io_uring_enter}
 *     ({@code uring.submitBatch}, default {@value #DEFAULT_SUBMIT_BATCH}, at least 2 so that a
 *     linked write-then-sync always fits); more ready operations go in the next enter at once
 * @param iopoll asked for IOPOLL ({@code uring.iopoll}); never used, see {@link UringProbe}
 * @param disabledOps opcodes to treat as missing ({@code uring.disableOps}, comma-separated names
 *     such as {@code FTRUNCATE,STATX}): exercises the fallbacks
 * @param maxInFlight admission bound ({@code maxInFlight}, default 65536)
 * @param closeTimeout how long close waits for the kernel ({@code closeTimeoutMs}, default 10 s)
 */
public record UringSettings(int entries, int cqEntries, boolean sqpoll, int sqpollIdleMillis, int sqpollCpu,
        int registeredBufferMiB, int registeredFiles, boolean deferTaskrun, int submitBatch, boolean iopoll, BitSet disabledOps,
        int maxInFlight, Duration closeTimeout) {

    public static final String ENTRIES = "uring.entries";
    public static final String CQ_ENTRIES = "uring.cqEntries";
    public static final String SQPOLL = "uring.sqpoll";
    public static final String SQPOLL_IDLE_MS = "uring.sqpollIdleMs";
    public static final String SQPOLL_CPU = "uring.sqpollCpu";
    public static final String REGISTERED_BUFFERS = "uring.registeredBuffers";
    public static final String REGISTERED_FILES = "uring.registeredFiles";
    public static final String DEFER_TASKRUN = "uring.deferTaskrun";
    public static final String SUBMIT_BATCH = "uring.submitBatch";
    public static final String IOPOLL = "uring.iopoll";
    /** See {@link #submitBatch()} and docs/URING.md ("Batch size") for the measurements behind it. */
    public static final int DEFAULT_SUBMIT_BATCH = 4;
    public static final String DISABLE_OPS = "uring.disableOps";

    /**
     * The configurations the conformance suite runs for an io_uring provider: nothing registered,
     * the registered buffer pool alone, the fixed file table alone, SQPOLL, and every opcode that has
     * a fallback turned off (so the blocking fallbacks keep the contract too).
     */
    public static final List<ProviderVariant> VARIANTS = List.of(
            new ProviderVariant("plain", Map.of(REGISTERED_BUFFERS, "0", REGISTERED_FILES, "0")),
            new ProviderVariant("registered-buffers", Map.of(REGISTERED_BUFFERS, "64", REGISTERED_FILES, "0")),
            new ProviderVariant("registered-files", Map.of(REGISTERED_BUFFERS, "0", REGISTERED_FILES, "64")),
            new ProviderVariant("sqpoll", Map.of(SQPOLL, "true")),
            new ProviderVariant("fallbacks", Map.of(DISABLE_OPS,
                    "READ,WRITE,READ_FIXED,WRITE_FIXED,OPENAT,CLOSE,STATX,FALLOCATE,FTRUNCATE")));

    public UringSettings {
        disabledOps = (BitSet) disabledOps.clone();
    }

    /** Parses the settings; malformed values fail with a message naming the key. */
    public static UringSettings of(DiskIoConfig c) {
        int entries = c.getInt(ENTRIES, 256, 1, 32768);
        int cq = c.getInt(CQ_ENTRIES, Math.min(4 * entries, 65536), 1, 65536);
        if (cq < entries) {
            throw new IllegalArgumentException("setting " + CQ_ENTRIES + "=" + cq + " must be at least " + ENTRIES + "=" + entries);
        }
        BitSet disabled = new BitSet();
        String ops = c.getString(DISABLE_OPS, "");
        for (String name : ops.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            int op = Sqe.opByName(name);
            if (op < 0) {
                throw new IllegalArgumentException("setting " + DISABLE_OPS + ": unknown opcode " + name.trim());
            }
            disabled.set(op);
        }
        return new UringSettings(entries, cq,
                c.getBoolean(SQPOLL, false),
                c.getInt(SQPOLL_IDLE_MS, 50, 1, 60_000),
                c.getInt(SQPOLL_CPU, -1, -1, 4095),
                c.getInt(REGISTERED_BUFFERS, 16, 0, 65536),
                c.getInt(REGISTERED_FILES, 256, 0, 1 << 20),
                c.getBoolean(DEFER_TASKRUN, true),
                c.getInt(SUBMIT_BATCH, DEFAULT_SUBMIT_BATCH, 2, 32768),
                c.getBoolean(IOPOLL, false),
                disabled,
                c.getInt(DiskIoConfig.MAX_IN_FLIGHT, 65536, 1, 1 << 24),
                c.getMillis(DiskIoConfig.CLOSE_TIMEOUT_MS, Duration.ofSeconds(10)));
    }

    @Override
    public BitSet disabledOps() {
        return (BitSet) disabledOps.clone();
    }

    /** The setup flag sets to try, best first (see docs/URING-ENGINE.md, "Setup flags"). */
    public List<RingSetup> setupsToTry() {
        int base = Sqe.SETUP_CQSIZE;
        if (sqpoll) {
            base |= Sqe.SETUP_SQPOLL | (sqpollCpu >= 0 ? Sqe.SETUP_SQ_AFF : 0);
        }
        int best = base | Sqe.SETUP_SUBMIT_ALL | Sqe.SETUP_SINGLE_ISSUER | (sqpoll || !deferTaskrun ? 0 : Sqe.SETUP_DEFER_TASKRUN);
        int middle = base | Sqe.SETUP_SUBMIT_ALL | (sqpoll ? 0 : Sqe.SETUP_COOP_TASKRUN);
        RingSetup s = new RingSetup(entries, cqEntries, best, sqpollIdleMillis, Math.max(0, sqpollCpu));
        return List.of(s, s.withFlags(middle), s.withFlags(base));
    }
}
