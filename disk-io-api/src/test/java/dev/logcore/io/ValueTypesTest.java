package dev.logcore.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.spi.Requests;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

    @Test
    void errnoNamesNumbersAndMessages() {
        assertEquals(Errno.ENOSPC, Errno.of(-28).orElseThrow());
        assertEquals("EISDIR", Errno.nameOf(21));
        assertEquals("errno 4000", Errno.nameOf(4000));
        assertEquals(Errno.ENOENT, Errno.fromMessage("/x/y: No such file or directory").orElseThrow());
        assertEquals(Errno.EAGAIN, Errno.of(11).orElseThrow());
        assertEquals(Errno.EOPNOTSUPP, Errno.of(95).orElseThrow());
        assertTrue(Errno.fromMessage("something else").isEmpty());
    }

    @Test
    void exceptionsNameOperationPathAndErrno() {
        DiskIoException e = DiskIoException.fromResult(OpKind.WRITE, Path.of("/data/a.log"), -28);
        assertEquals("write /data/a.log: ENOSPC (No space left on device)", e.getMessage());
        assertEquals(Errno.ENOSPC, e.errno());
        assertEquals(OpKind.WRITE, e.operation());
        assertEquals(Errno.EIO, DiskIoException.fromResult(OpKind.READ, null, -4000).errno());
        assertTrue(DiskIoException.fromResult(OpKind.READ, null, -4000).getMessage().contains("unknown errno 4000"));
    }

    @Test
    void configGettersRejectMalformedValuesNamingTheKey() {
        DiskIoConfig c = DiskIoConfig.of(Map.of("a", "12", "b", "yes", "c", "x", "d", "99999"));
        assertEquals(12, c.getInt("a", 0, 0, 100));
        assertEquals(7, c.getInt("missing", 7, 0, 100));
        assertTrue(c.getBoolean("b", false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.getInt("c", 0, 0, 10));
        assertTrue(e.getMessage().contains("c=x"));
        assertThrows(IllegalArgumentException.class, () -> c.getInt("d", 0, 0, 100));
        assertThrows(IllegalArgumentException.class, () -> c.getBoolean("c", false));
        Properties p = new Properties();
        p.setProperty("diskio.nio.threads", " 4 ");
        p.setProperty("other", "1");
        assertEquals(Map.of("nio.threads", "4"), DiskIoConfig.fromProperties(p, "diskio.").asMap());
    }

    @Test
    void openFlagsAreNormalised() {
        assertEquals(Set.of(OpenFlag.READ), Requests.openFlags());
        assertEquals(Set.of(OpenFlag.READ, OpenFlag.DIRECT), Requests.openFlags(OpenFlag.DIRECT));
        assertEquals(Set.of(OpenFlag.WRITE, OpenFlag.CREATE), Requests.openFlags(OpenFlag.WRITE, OpenFlag.CREATE));
        assertThrows(IllegalArgumentException.class, () -> Requests.openFlags(OpenFlag.TRUNCATE));
        assertThrows(NullPointerException.class, () -> Requests.openFlags(OpenFlag.READ, null));
    }

    @Test
    void directAlignmentChecksOffsetAddressAndEveryLength() {
        try (IoBuffer a = IoBuffer.allocate(8192)) {
            assertEquals(null, Requests.misaligned(OpKind.READ, null, 4096, 4096, a));
            assertEquals(Errno.EINVAL, Requests.misaligned(OpKind.READ, null, 4096, 512, a).errno());
            IoBuffer tail = a.splitOff(4096 + 0);
            tail.limit(100);
            assertEquals(Errno.EINVAL, Requests.misaligned(OpKind.WRITEV, null, 4096, 0, List.of(a, tail)).errno());
            assertEquals(null, Requests.misaligned(OpKind.WRITE, null, 1, 3, tail), "no O_DIRECT, no rule");
        }
    }

    private static final class Pending extends IoFuture<Integer> {
        @Override
        protected boolean requestCancel() {
            return false;
        }

        void done(int v) {
            finish(v);
        }
    }

    @Test
    void onlyTheProviderCompletesAnIoFuture() throws Exception {
        Pending f = new Pending();
        assertThrows(UnsupportedOperationException.class, () -> f.complete(1));
        assertThrows(UnsupportedOperationException.class, () -> f.completeExceptionally(new RuntimeException()));
        assertThrows(UnsupportedOperationException.class, () -> f.obtrudeValue(1));
        assertThrows(UnsupportedOperationException.class, () -> f.orTimeout(1, TimeUnit.SECONDS));
        var derived = f.thenApply(x -> x + 1);
        assertFalse(derived instanceof IoFuture, "dependent stages are plain futures");
        derived.toCompletableFuture().complete(5); // a derived stage is the caller's own
        var copy = f.copy().orTimeout(1, TimeUnit.MINUTES);
        f.done(41);
        assertEquals(41, f.get());
        assertEquals(41, copy.get());
        assertFalse(f.cancel(true), "cancelling a completed future changes nothing");
    }
}
