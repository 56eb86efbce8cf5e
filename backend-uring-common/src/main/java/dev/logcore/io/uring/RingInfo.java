package dev.logcore.io.uring;

import java.util.BitSet;

/**
 * What {@code io_uring_setup} and {@code IORING_REGISTER_PROBE} gave.
 *
 * @param sqEntries SQ ring entries the kernel made
 * @param cqEntries CQ ring entries the kernel made
 * @param cqeCapacity how many completions one {@link KernelRing#submitAndReap} can copy
 * @param setupFlags the {@code IORING_SETUP_*} flags of the ring as the kernel reports them back
 *     ({@code params.flags} after setup)
 * @param features {@code IORING_FEAT_*} bits ({@code params.features})
 * @param supportedOps the opcodes the probe marked {@code IO_URING_OP_SUPPORTED}; {@code null} if
 *     the kernel has no probe (before 5.6)
 */
public record RingInfo(int sqEntries, int cqEntries, int cqeCapacity, int setupFlags, int features, BitSet supportedOps) {

    public RingInfo {
        supportedOps = supportedOps == null ? null : (BitSet) supportedOps.clone();
    }

    /** Whether the probe says the kernel has {@code opcode}. */
    public boolean supports(int opcode) {
        return supportedOps != null && supportedOps.get(opcode);
    }

    @Override
    public BitSet supportedOps() {
        return supportedOps == null ? null : (BitSet) supportedOps.clone();
    }
}
