package dev.logcore.io.uring.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.Availability;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.DiskIoProvider;
import dev.logcore.io.DiskIoProviders;
import dev.logcore.io.ProviderVariant;
import dev.logcore.io.uring.testkit.TestSupport;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The provider says whether it can run, with a reason, and never crashes the JVM: here (where it
 * must be available: its absence fails the build), under a seccomp filter that refuses
 * io_uring_setup with EPERM (Docker's default) or ENOSYS (no io_uring), and without jnr-ffi or its
 * native stub on the class path. The sysctl's reasons are the shared UringProbe's, tested there.
 */
@Timeout(120)
class AvailabilityTest {

    @Test
    void foundByServiceLoaderAndAvailableHere() {
        DiskIoProvider p = DiskIoProviders.discover().stream().filter(x -> x.name().equals("uring-ffi")).findFirst()
                .orElseThrow(() -> new AssertionError("uring-ffi is not registered in META-INF/services"));
        assertEquals(200, p.preference());
        Availability a = p.probe();
        assertTrue(a.available(), "uring-ffi must be available on this machine: " + a);
        assertTrue(a.reason().contains("jnr-ffi"), a.reason());
        for (ProviderVariant v : p.variants()) {
            Availability va = p.probe(DiskIoConfig.of(v.settings()));
            assertTrue(va.available(), v.name() + ": " + va);
        }
    }

    private static TestSupport.Run probeChild(String classPath, String... args) throws Exception {
        TestSupport.Run r = TestSupport.run(TestSupport.java(classPath, ProbeMain.class.getName(), args), 60);
        assertEquals(0, r.exit(), "the probe never crashes or throws:\n" + r.out());
        assertFalse(r.out().contains("WARNING"), "no JVM warning reaches the output:\n" + r.out());
        return r;
    }

    @Test
    void seccompEpermIsReportedAsSuch() throws Exception {
        TestSupport.Run r = probeChild(TestSupport.classPath(), "seccomp-eperm");
        assertTrue(r.out().contains("probe: unavailable: io_uring_setup was refused with EPERM: a seccomp filter"), r.out());
        assertTrue(r.out().contains("select: refused: backend 'uring-ffi' is not available"), r.out());
    }

    @Test
    void noIoUringInTheKernelIsReportedAsSuch() throws Exception {
        TestSupport.Run r = probeChild(TestSupport.classPath(), "seccomp-enosys");
        assertTrue(r.out().contains("probe: unavailable: the kernel has no io_uring (io_uring_setup: ENOSYS)"), r.out());
        assertTrue(r.out().contains("select: refused"), r.out());
    }

    @Test
    void withoutJnrFfiTheProbeSaysSo() throws Exception {
        TestSupport.Run r = probeChild(classPathWithout("/com/github/jnr/"));
        assertTrue(r.out().contains("probe: unavailable: uring-ffi cannot reach libc through jnr-ffi: jnr-ffi is not on the class path"), r.out());
        assertTrue(r.out().contains("select: refused"), r.out());
    }

    @Test
    void withoutJffisNativeStubTheProbeSaysSo() throws Exception {
        TestSupport.Run r = probeChild(classPathWithout("-native.jar"));
        assertTrue(r.out().contains("probe: unavailable: uring-ffi cannot reach libc through jnr-ffi"), r.out());
        assertTrue(r.out().contains("select: refused"), r.out());
    }

    @Test
    void aHealthyChildSeesItAvailableWithoutWarnings() throws Exception {
        TestSupport.Run r = probeChild(TestSupport.classPath());
        assertTrue(r.out().contains("probe: available: io_uring on Linux"), r.out());
        assertTrue(r.out().contains("select: chosen"), r.out());
    }

    @Test
    void withTheJdksDefaultsNoWarningReachesTheLog() throws Exception {
        // Only native access enabled, sun.misc.Unsafe memory access left at JDK 25's default (warn):
        // a whole engine's work prints nothing but its own lines.
        TestSupport.Run r = TestSupport.run(TestSupport.javaWith(List.of("--enable-native-access=ALL-UNNAMED"),
                TestSupport.classPath(), ProbeMain.class.getName(), "exercise", TestSupport.dir("defaults").toString()), 60);
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("exercise: read 42, size 4096"), r.out());
        assertFalse(r.out().contains("WARNING"), r.out());
        assertFalse(r.out().toLowerCase(java.util.Locale.ROOT).contains("unsafe"), r.out());
    }

    private static String classPathWithout(String fragment) {
        List<String> parts = Arrays.stream(TestSupport.classPath().split(File.pathSeparator)).toList();
        assertTrue(parts.stream().anyMatch(p -> p.contains(fragment)), "the class path has " + fragment + ": " + parts);
        return parts.stream().filter(p -> !p.contains(fragment)).collect(Collectors.joining(File.pathSeparator));
    }
}
