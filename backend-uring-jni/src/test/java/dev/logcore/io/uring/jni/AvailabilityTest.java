package dev.logcore.io.uring.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.Availability;
import dev.logcore.io.DiskIoProvider;
import dev.logcore.io.DiskIoProviders;
import dev.logcore.io.uring.testkit.TestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The probe answers with a reason a person can act on, and never crashes the JVM: io_uring blocked
 * by a seccomp filter (EPERM, as under Docker's default profile), a kernel without io_uring
 * (ENOSYS, simulated the same way), a native library that does not load. Each runs in a child JVM
 * that must end normally.
 */
class AvailabilityTest {

    @Test
    void availableHereAndFoundByTheServiceLoader() throws Exception {
        UringJniProvider p = new UringJniProvider();
        Availability a = p.probe();
        assertTrue(a.available(), "uring-jni must be available on this machine: " + a.reason());
        assertEquals("uring-jni", p.name());
        assertEquals(300, p.preference());
        assertTrue(DiskIoProviders.discover().stream().map(DiskIoProvider::name).anyMatch("uring-jni"::equals));
        assertEquals("uring-jni", DiskIoProviders.select("auto").provider().name(), "auto prefers uring-jni here");
    }

    private static TestSupport.Run underSeccomp(int errno) throws Exception {
        Path helper = NativeBuild.gcc("seccomp_exec", List.of("-O2"), List.of(NativeBuild.nativeTestSrc().resolve("seccomp_exec.c")));
        List<String> cmd = new ArrayList<>(List.of(helper.toString(), Integer.toString(errno)));
        cmd.addAll(TestSupport.java(ProbeMain.class));
        return TestSupport.run(cmd, 120);
    }

    @Test
    void aSeccompFilterThatAnswersEpermIsReportedAsSuch() throws Exception {
        TestSupport.Run r = underSeccomp(1);
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("PROBE unavailable") && r.out().contains("EPERM") && r.out().contains("seccomp"), r.out());
        assertTrue(r.out().contains("OPEN failed") && r.out().contains("uring-jni is not available"), r.out());
    }

    @Test
    void aKernelWithoutIoUringIsReportedAsEnosys() throws Exception {
        TestSupport.Run r = underSeccomp(38);
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("PROBE unavailable") && r.out().contains("ENOSYS") && r.out().contains("no io_uring"), r.out());
    }

    @Test
    void aLibraryThatDoesNotLoadIsAReasonNotACrash() throws Exception {
        Path bogus = TestSupport.dir("bogus").resolve("not-a-library.so");
        Files.writeString(bogus, "this is not an ELF file");
        List<String> cmd = TestSupport.java(ProbeMain.class);
        cmd.add(1, "-D" + NativeLibrary.OVERRIDE + "=" + bogus);
        TestSupport.Run r = TestSupport.run(cmd, 120);
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("PROBE unavailable") && r.out().contains("failed to load"), r.out());
    }

    @Test
    void withoutAnyFilterTheChildSeesItAvailable() throws Exception {
        TestSupport.Run r = TestSupport.run(TestSupport.java(ProbeMain.class), 120);
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("PROBE available") && r.out().contains("OPEN ok"), r.out());
    }
}
