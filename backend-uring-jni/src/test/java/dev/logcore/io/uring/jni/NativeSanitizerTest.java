package dev.logcore.io.uring.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.uring.testkit.TestSupport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shim's core under AddressSanitizer, UndefinedBehaviorSanitizer and LeakSanitizer: a C driver
 * (src/test/c/lc_ring_driver.c) runs ring creation and teardown with every flag set the engine
 * uses, registration, linked fixed writes and syncs, reads, writev, statx, the eventfd wake-up,
 * overflow of the CQE copy and every fallback call. Any memory error, leak or undefined behaviour
 * aborts the driver and fails this test.
 */
class NativeSanitizerTest {

    @Test
    void theNativeCoreIsCleanUnderAddressLeakAndUndefinedBehaviorSanitizers() throws Exception {
        Path driver = NativeBuild.gcc("lc_ring_driver_asan",
                List.of("-g", "-O1", "-fno-omit-frame-pointer", "-fsanitize=address,undefined", "-fno-sanitize-recover=all"),
                List.of(NativeBuild.nativeTestSrc().resolve("lc_ring_driver.c"), NativeBuild.nativeSrc().resolve("lc_ring.c")));
        Path dir = TestSupport.dir("asan");
        List<String> cmd = new ArrayList<>(List.of("env",
                "ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=23:strict_string_checks=1:detect_stack_use_after_return=1",
                "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1",
                driver.toString(), dir.toString()));
        TestSupport.Run r = TestSupport.run(cmd, 300);
        assertEquals(0, r.exit(), "the driver under the sanitizers failed:\n" + r.out());
        assertTrue(r.out().contains("OK"), r.out());
        assertTrue(!r.out().contains("ERROR: AddressSanitizer") && !r.out().contains("runtime error")
                && !r.out().contains("LeakSanitizer"), r.out());
    }
}
