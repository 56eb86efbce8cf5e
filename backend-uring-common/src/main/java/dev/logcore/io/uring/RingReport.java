package dev.logcore.io.uring;

import java.util.BitSet;

/**
 * What an engine's ring looks like once set up: for logs, the provider's probe notes and tests.
 *
 * @param sqEntries SQ entries
 * @param cqEntries CQ entries
 * @param setupFlags the setup flags the kernel accepted
 * @param features the kernel's IORING_FEAT_* bits
 * @param opcodes the opcodes in use (probed, minus {@code uring.disableOps})
 * @param fallbacks the opcodes replaced by blocking system calls
 * @param registeredBuffers the registered buffer pool ("16 MiB", "off", "failed: ...")
 * @param registeredFiles the fixed file table ("256 slots", "off", ...)
 * @param iopoll what became of {@code uring.iopoll}
 */
public record RingReport(int sqEntries, int cqEntries, int setupFlags, int features, BitSet opcodes, BitSet fallbacks,
        String registeredBuffers, String registeredFiles, String iopoll) {

    public RingReport {
        opcodes = (BitSet) opcodes.clone();
        fallbacks = (BitSet) fallbacks.clone();
    }

    @Override
    public BitSet opcodes() {
        return (BitSet) opcodes.clone();
    }

    @Override
    public BitSet fallbacks() {
        return (BitSet) fallbacks.clone();
    }

    /** Whether the SQPOLL flag was accepted. */
    public boolean sqpoll() {
        return (setupFlags & Sqe.SETUP_SQPOLL) != 0;
    }

    @Override
    public String toString() {
        StringBuilder fb = new StringBuilder();
        fallbacks.stream().forEach(op -> fb.append(fb.length() == 0 ? "" : ",").append(Sqe.opName(op)));
        return "ring " + sqEntries + "/" + cqEntries + " entries, flags " + Sqe.setupFlagNames(setupFlags)
                + ", registered buffers " + registeredBuffers + ", fixed files " + registeredFiles
                + ", fallbacks " + (fb.length() == 0 ? "none" : fb) + ", iopoll " + iopoll;
    }
}
