package dev.logcore.io.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.logcore.io.DiskIoConfig;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SQEs are written field by field where the kernel reads them, every byte set. */
class SqeTest {
    private static final ValueLayout.OfInt S32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Test
    void everyFieldLandsAtItsOffsetAndStaleBytesAreCleared() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(128);
            m.fill((byte) 0xAB);
            Sqe.write(m, 64, Sqe.OP_WRITE_FIXED, Sqe.IOSQE_FIXED_FILE | Sqe.IOSQE_IO_LINK, -100, 0x1122334455L, 0x7766554433L,
                    4096, Sqe.FSYNC_DATASYNC, 0x8000_0000_0000_0003L, 513);
            assertEquals(Sqe.OP_WRITE_FIXED, m.get(ValueLayout.JAVA_BYTE, 64 + Sqe.OFF_OPCODE));
            assertEquals(Sqe.IOSQE_FIXED_FILE | Sqe.IOSQE_IO_LINK, m.get(ValueLayout.JAVA_BYTE, 64 + Sqe.OFF_FLAGS));
            assertEquals(0, m.get(ValueLayout.JAVA_SHORT_UNALIGNED, 64 + Sqe.OFF_IOPRIO));
            assertEquals(-100, m.get(S32, 64 + Sqe.OFF_FD));
            assertEquals(0x1122334455L, m.get(U64, 64 + Sqe.OFF_OFF));
            assertEquals(0x7766554433L, m.get(U64, 64 + Sqe.OFF_ADDR));
            assertEquals(4096, m.get(S32, 64 + Sqe.OFF_LEN));
            assertEquals(Sqe.FSYNC_DATASYNC, m.get(S32, 64 + Sqe.OFF_OP_FLAGS));
            assertEquals(0x8000_0000_0000_0003L, m.get(U64, 64 + Sqe.OFF_USER_DATA));
            assertEquals(513, m.get(ValueLayout.JAVA_SHORT_UNALIGNED, 64 + Sqe.OFF_BUF_INDEX));
            assertEquals(0, m.get(ValueLayout.JAVA_SHORT_UNALIGNED, 64 + Sqe.OFF_PERSONALITY));
            assertEquals(0, m.get(S32, 64 + Sqe.OFF_FILE_INDEX));
            assertEquals(0L, m.get(U64, 64 + Sqe.OFF_ADDR3));
            assertEquals(0L, m.get(U64, 64 + 56));
            assertEquals((byte) 0xAB, m.get(ValueLayout.JAVA_BYTE, 63), "the slot before is untouched");
        }
    }

    @Test
    void opcodeNamesRoundTrip() {
        for (int op : new int[] {Sqe.OP_READ, Sqe.OP_WRITE, Sqe.OP_FTRUNCATE, Sqe.OP_STATX, Sqe.OP_OPENAT}) {
            assertEquals(op, Sqe.opByName(Sqe.opName(op)));
        }
        assertEquals(-1, Sqe.opByName("NOPE"));
    }

    @Test
    void settingsAreCheckedWithTheKeyInTheMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UringSettings.of(DiskIoConfig.of(Map.of(UringSettings.DISABLE_OPS, "READ,BOGUS"))));
        assertEquals(true, e.getMessage().contains("uring.disableOps") && e.getMessage().contains("BOGUS"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> UringSettings.of(DiskIoConfig.of(Map.of(UringSettings.ENTRIES, "0"))));
        assertThrows(IllegalArgumentException.class,
                () -> UringSettings.of(DiskIoConfig.of(Map.of(UringSettings.ENTRIES, "64", UringSettings.CQ_ENTRIES, "32"))));
        UringSettings d = UringSettings.of(DiskIoConfig.defaults());
        assertEquals(256, d.entries());
        assertEquals(1024, d.cqEntries());
        assertEquals(Sqe.SETUP_CQSIZE | Sqe.SETUP_SUBMIT_ALL | Sqe.SETUP_SINGLE_ISSUER | Sqe.SETUP_DEFER_TASKRUN,
                d.setupsToTry().get(0).flags());
    }
}
