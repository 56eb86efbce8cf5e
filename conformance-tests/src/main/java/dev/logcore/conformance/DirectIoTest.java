package dev.logcore.conformance;

import static dev.logcore.conformance.Target.await;
import static dev.logcore.conformance.Target.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIoException;
import dev.logcore.io.Errno;
import dev.logcore.io.FsyncKind;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.IoFuture;
import dev.logcore.io.OpKind;
import dev.logcore.io.OpenFlag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** O_DIRECT reaches the kernel, and misaligned requests are refused before they do. */
class DirectIoTest {
    private static final int O_DIRECT = 040000; // x86_64 and aarch64 (asm-generic is 040000 too)

    /** The open-file flags of every descriptor of this process that refers to {@code path}. */
    static List<Integer> fdFlags(Path path) throws IOException {
        Path real = path.toRealPath();
        List<Integer> flags = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                Path target;
                try {
                    target = Files.readSymbolicLink(fd);
                } catch (IOException gone) {
                    continue;
                }
                if (!target.equals(real)) {
                    continue;
                }
                List<String> info;
                try {
                    info = Files.readAllLines(Path.of("/proc/self/fdinfo", fd.getFileName().toString()));
                } catch (IOException gone) {
                    continue;
                }
                for (String line : info) {
                    if (line.startsWith("flags:")) {
                        flags.add(Integer.parseInt(line.substring(6).trim(), 8));
                    }
                }
            }
        }
        return flags;
    }

    @ConformanceTest
    void oDirectReallyReachesTheKernelAndOnlyWhenAsked(Target t) throws IOException {
        DiskFile f = t.create("flags.dat");
        assertEquals(t.direct(), f.flags().contains(OpenFlag.DIRECT));
        List<Integer> flags = fdFlags(t.file("flags.dat"));
        assertFalse(flags.isEmpty(), "the open file has a descriptor in /proc/self/fd");
        if (t.direct()) {
            assertTrue(flags.stream().anyMatch(fl -> (fl & O_DIRECT) != 0),
                    "a descriptor of the file has O_DIRECT in /proc/self/fdinfo: " + flags);
            assertTrue(f.directAlignment() >= 512 && Integer.bitCount(f.directAlignment()) == 1,
                    "the alignment is a power of two of at least 512: " + f.directAlignment());
        } else {
            assertTrue(flags.stream().noneMatch(fl -> (fl & O_DIRECT) != 0), "no descriptor has O_DIRECT: " + flags);
            assertEquals(1, f.directAlignment());
        }
        await(f.close());
    }

    private static void refusedBeforeTheKernel(Target t, String what, OpKind op, Supplier<IoFuture<?>> call, IoBuffer... bufs) {
        long callsBefore = t.engine().stats().systemCalls();
        DiskIoException e = failure(call.get());
        assertEquals(Errno.EINVAL, e.errno(), what + ": " + e.getMessage());
        assertEquals(op, e.operation(), what);
        assertTrue(e.getMessage().contains(e.errno().name()), "the message names the errno: " + e.getMessage());
        assertEquals(callsBefore, t.engine().stats().systemCalls(), what + ": refused before any system call");
        for (IoBuffer b : bufs) {
            assertTrue(b.isOwned(), what + ": the buffer stays with the caller");
        }
    }

    @ConformanceTest(modes = Mode.DIRECT)
    void misalignedBufferOffsetOrLengthFailsWithEinvalBeforeSubmission(Target t) {
        DiskFile f = t.create("misaligned.dat");
        int a = f.directAlignment();
        IoBuffer good = t.patterned(2 * a, 1);
        assertEquals(2 * a, await(f.write(good, 0)), "aligned I/O works");

        IoBuffer base = t.engine().allocate(3 * a);
        IoBuffer shifted = base.splitOff(1); // starts one byte past a page boundary
        shifted.limit(a);
        refusedBeforeTheKernel(t, "misaligned buffer (write)", OpKind.WRITE, () -> f.write(shifted, 0), shifted);
        refusedBeforeTheKernel(t, "misaligned buffer (read)", OpKind.READ, () -> f.read(shifted, 0), shifted);
        refusedBeforeTheKernel(t, "misaligned offset (write)", OpKind.WRITE, () -> f.write(good, 512 + 1), good);
        refusedBeforeTheKernel(t, "misaligned offset (read)", OpKind.READ, () -> f.read(good, a / 2 + 1), good);
        IoBuffer shortOne = t.patterned(a, 2).limit(100);
        refusedBeforeTheKernel(t, "misaligned length (write)", OpKind.WRITE, () -> f.write(shortOne, 0), shortOne);
        refusedBeforeTheKernel(t, "misaligned length (read)", OpKind.READ, () -> f.read(shortOne, 0), shortOne);
        IoBuffer ok = t.patterned(a, 3);
        refusedBeforeTheKernel(t, "one misaligned piece of a writev", OpKind.WRITEV,
                () -> f.writev(List.of(ok, shortOne), 0), ok, shortOne);
        refusedBeforeTheKernel(t, "misaligned write-then-sync", OpKind.WRITE_SYNC,
                () -> f.writeThenSync(List.of(ok), 7, FsyncKind.DATA), ok);

        IoBuffer r = t.engine().allocate(2 * a);
        assertEquals(2 * a, await(f.read(r, 0)), "the file is still usable");
        org.junit.jupiter.api.Assertions.assertArrayEquals(Target.pattern(2 * a, 1), r.toArray(0, 2 * a),
                "no refused write touched the file");
        await(f.close());
    }
}
