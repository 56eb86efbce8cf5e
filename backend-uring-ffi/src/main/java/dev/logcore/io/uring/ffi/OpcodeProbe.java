package dev.logcore.io.uring.ffi;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.BitSet;

/**
 * The kernel's answer to IORING_REGISTER_PROBE: which opcodes this kernel supports.
 *
 * <p>{@code struct io_uring_probe { u8 last_op; u8 ops_len; u16 resv; u32 resv2[3];
 * struct io_uring_probe_op ops[]; }} with {@code struct io_uring_probe_op { u8 op; u8 resv;
 * u16 flags; u32 resv2; }} (8 bytes); flag IO_URING_OP_SUPPORTED = 1.
 */
final class OpcodeProbe {
    /** Room for 256 opcodes, more than any kernel defines (opcodes are one byte). */
    static final int MAX_OPS = 256;
    static final long BYTES = 16 + 8L * MAX_OPS;
    private static final int OP_SUPPORTED = 1;

    private OpcodeProbe() {
    }

    /** The opcodes marked supported in a filled probe of {@link #BYTES} bytes. */
    static BitSet parse(MemorySegment probe) {
        int opsLen = Math.min(Byte.toUnsignedInt(probe.get(ValueLayout.JAVA_BYTE, 1)), MAX_OPS);
        BitSet bits = new BitSet(MAX_OPS);
        for (int i = 0; i < opsLen; i++) {
            long at = 16 + 8L * i;
            int op = Byte.toUnsignedInt(probe.get(ValueLayout.JAVA_BYTE, at));
            int flags = Short.toUnsignedInt(probe.get(ValueLayout.JAVA_SHORT, at + 2));
            if ((flags & OP_SUPPORTED) != 0) {
                bits.set(op);
            }
        }
        return bits;
    }
}
