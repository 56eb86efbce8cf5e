package dev.logcore.io.uring.jni;

import dev.logcore.io.uring.testkit.TestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where the shim's C sources are, and gcc for the native tests' helpers and drivers. */
final class NativeBuild {
    private NativeBuild() {
    }

    static Path nativeSrc() {
        return Path.of(System.getProperty("logcore.native.src", "src/main/c")).toAbsolutePath();
    }

    static Path nativeTestSrc() {
        return Path.of(System.getProperty("logcore.native.test.src", "src/test/c")).toAbsolutePath();
    }

    static Path nativeBuild() throws IOException {
        Path p = Path.of(System.getProperty("logcore.native.build", "target/native-test")).toAbsolutePath();
        Files.createDirectories(p);
        return p;
    }

    static String liburing() {
        return System.getProperty("liburing.static", "/usr/lib/x86_64-linux-gnu/liburing.a");
    }

    /** Compiles C sources with gcc; fails the test with gcc's output if it does not build. */
    static Path gcc(String output, List<String> flags, List<Path> sources) throws IOException, InterruptedException {
        Path out = nativeBuild().resolve(output);
        List<String> cmd = new ArrayList<>(List.of("gcc", "-std=gnu11", "-Wall", "-Wextra", "-Werror", "-I" + nativeSrc()));
        cmd.addAll(flags);
        cmd.add("-o");
        cmd.add(out.toString());
        sources.forEach(s -> cmd.add(s.toString()));
        cmd.add(liburing());
        TestSupport.Run r = TestSupport.run(cmd, 300);
        if (r.exit() != 0) {
            throw new AssertionError("gcc failed (" + r.exit() + "): " + String.join(" ", cmd) + "\n" + r.out());
        }
        return out;
    }
}
