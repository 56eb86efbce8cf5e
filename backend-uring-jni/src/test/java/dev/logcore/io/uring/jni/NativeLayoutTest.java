package dev.logcore.io.uring.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.uring.Sqe;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every struct layout and ABI constant the Java side writes or reads by offset, checked against
 * what the C compiler says for the kernel's and liburing's headers (sizeof, offsetof, the enums).
 */
class NativeLayoutTest {

    private static Map<String, Long> layout() {
        assertTrue(NativeLibrary.result().loaded(), "the native library must load here: " + NativeLibrary.result().reason());
        String s = Native.layout();
        assertNotNull(s);
        Map<String, Long> m = new HashMap<>();
        for (String pair : s.split(";")) {
            if (!pair.isEmpty()) {
                String[] kv = pair.split("=");
                m.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        return m;
    }

    private static void same(Map<String, Long> c, String name, long javaValue) {
        Long v = c.get(name);
        assertNotNull(v, "the native layout has no " + name);
        assertEquals(v.longValue(), javaValue, name + ": C says " + v + ", Java uses " + javaValue);
    }

    @Test
    void sqeAndCqeLayoutsMatchTheCompiler() {
        Map<String, Long> c = layout();
        same(c, "sqe.size", Sqe.SIZE);
        same(c, "sqe.opcode", Sqe.OFF_OPCODE);
        same(c, "sqe.flags", Sqe.OFF_FLAGS);
        same(c, "sqe.ioprio", Sqe.OFF_IOPRIO);
        same(c, "sqe.fd", Sqe.OFF_FD);
        same(c, "sqe.off", Sqe.OFF_OFF);
        same(c, "sqe.addr", Sqe.OFF_ADDR);
        same(c, "sqe.len", Sqe.OFF_LEN);
        same(c, "sqe.rw_flags", Sqe.OFF_OP_FLAGS);
        same(c, "sqe.fsync_flags", Sqe.OFF_OP_FLAGS);
        same(c, "sqe.open_flags", Sqe.OFF_OP_FLAGS);
        same(c, "sqe.user_data", Sqe.OFF_USER_DATA);
        same(c, "sqe.buf_index", Sqe.OFF_BUF_INDEX);
        same(c, "sqe.personality", Sqe.OFF_PERSONALITY);
        same(c, "sqe.file_index", Sqe.OFF_FILE_INDEX);
        same(c, "sqe.addr3", Sqe.OFF_ADDR3);
        same(c, "cqe.size", Sqe.CQE_SIZE);
        same(c, "cqe.user_data", Sqe.CQE_OFF_USER_DATA);
        same(c, "cqe.res", Sqe.CQE_OFF_RES);
        same(c, "cqe.flags", Sqe.CQE_OFF_FLAGS);
    }

    @Test
    void theOtherStructsTheEngineFillsMatch() {
        Map<String, Long> c = layout();
        same(c, "iovec.size", Sqe.IOVEC_SIZE);
        same(c, "timespec.size", Sqe.TIMESPEC_SIZE);
        same(c, "statx.size", Sqe.STATX_SIZE);
        same(c, "statx.stx_size", Sqe.STATX_OFF_SIZE);
        same(c, "statx.stx_mode", Sqe.STATX_OFF_MODE);
        same(c, "ctl.size", NativeRing.CTL_SIZE);
        same(c, "ctl.enters", NativeRing.CTL_ENTERS);
        same(c, "ctl.sq_space", NativeRing.CTL_SQ_SPACE);
    }

    @Test
    void opcodesFlagsAndOpenFlagsMatchTheHeaders() {
        Map<String, Long> c = layout();
        same(c, "op.READV", Sqe.OP_READV);
        same(c, "op.WRITEV", Sqe.OP_WRITEV);
        same(c, "op.FSYNC", Sqe.OP_FSYNC);
        same(c, "op.READ_FIXED", Sqe.OP_READ_FIXED);
        same(c, "op.WRITE_FIXED", Sqe.OP_WRITE_FIXED);
        same(c, "op.TIMEOUT", Sqe.OP_TIMEOUT);
        same(c, "op.ASYNC_CANCEL", Sqe.OP_ASYNC_CANCEL);
        same(c, "op.FALLOCATE", Sqe.OP_FALLOCATE);
        same(c, "op.OPENAT", Sqe.OP_OPENAT);
        same(c, "op.CLOSE", Sqe.OP_CLOSE);
        same(c, "op.FILES_UPDATE", Sqe.OP_FILES_UPDATE);
        same(c, "op.STATX", Sqe.OP_STATX);
        same(c, "op.READ", Sqe.OP_READ);
        same(c, "op.WRITE", Sqe.OP_WRITE);
        same(c, "iosqe.FIXED_FILE", Sqe.IOSQE_FIXED_FILE);
        same(c, "iosqe.IO_LINK", Sqe.IOSQE_IO_LINK);
        same(c, "fsync.DATASYNC", Sqe.FSYNC_DATASYNC);
        same(c, "setup.SQPOLL", Sqe.SETUP_SQPOLL);
        same(c, "setup.SQ_AFF", Sqe.SETUP_SQ_AFF);
        same(c, "setup.CQSIZE", Sqe.SETUP_CQSIZE);
        same(c, "setup.SUBMIT_ALL", Sqe.SETUP_SUBMIT_ALL);
        same(c, "setup.COOP_TASKRUN", Sqe.SETUP_COOP_TASKRUN);
        same(c, "setup.SINGLE_ISSUER", Sqe.SETUP_SINGLE_ISSUER);
        same(c, "setup.DEFER_TASKRUN", Sqe.SETUP_DEFER_TASKRUN);
        same(c, "at.FDCWD", Sqe.AT_FDCWD);
        same(c, "at.EMPTY_PATH", Sqe.AT_EMPTY_PATH);
        same(c, "statx.SIZE", Sqe.STATX_SIZE_MASK);
        same(c, "o.WRONLY", Sqe.O_WRONLY);
        same(c, "o.RDWR", Sqe.O_RDWR);
        same(c, "o.CREAT", Sqe.O_CREAT);
        same(c, "o.EXCL", Sqe.O_EXCL);
        same(c, "o.TRUNC", Sqe.O_TRUNC);
        same(c, "o.DSYNC", Sqe.O_DSYNC);
        same(c, "o.DIRECT", Sqe.O_DIRECT);
        same(c, "o.CLOEXEC", Sqe.O_CLOEXEC);
    }
}
