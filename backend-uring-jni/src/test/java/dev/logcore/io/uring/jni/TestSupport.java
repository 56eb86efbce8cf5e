package dev.logcore.io.uring.jni;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the native tests share: their directory, gcc, child JVMs, /proc readings. */
final class TestSupport {
    private TestSupport() {
    }

    /** A fresh directory under target/ (a disk file system: O_DIRECT works there). */
    static Path dir(String name) throws IOException {
        Path base = Path.of(System.getProperty("logcore.test.dir", "target/test-files"));
        Path d = base.resolve(name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Files.createDirectories(d);
        return d.toAbsolutePath();
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

    /** The result of a child process. */
    record Run(int exit, String out) {
    }

    /** Runs a command to its end (bounded), stdout and stderr together. */
    static Run run(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.append("\n<reading failed: ").append(e).append('>');
            }
        });
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
            reader.join(5000);
            throw new AssertionError("timed out after " + timeoutSeconds + " s: " + cmd + "\n" + out);
        }
        reader.join(5000);
        return new Run(p.exitValue(), out.toString());
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
        Run r = run(cmd, 300);
        if (r.exit() != 0) {
            throw new AssertionError("gcc failed (" + r.exit() + "): " + String.join(" ", cmd) + "\n" + r.out());
        }
        return out;
    }

    /** A command line that starts a JVM on this test's class path running {@code main}. */
    static List<String> java(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** This process's open descriptors, and how many of them are io_uring instances. */
    static int[] descriptors() throws IOException {
        int all = 0;
        int rings = 0;
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : s.toList()) {
                all++;
                try {
                    if (Files.readSymbolicLink(fd).toString().contains("io_uring")) {
                        rings++;
                    }
                } catch (IOException gone) {
                    // closed while listing
                }
            }
        }
        return new int[] {all, rings};
    }

    /** A field of /proc/self/status in kB (VmLck, VmPin, ...), or the thread count for "Threads". */
    static long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new AssertionError("/proc/self/status has no " + field);
    }
}
