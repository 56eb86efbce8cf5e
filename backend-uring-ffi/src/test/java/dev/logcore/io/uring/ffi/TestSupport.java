package dev.logcore.io.uring.ffi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the tests share: their directory, child JVMs, /proc readings. */
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

    /** Deletes a directory and everything in it. */
    static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The result of a child process. */
    record Run(int exit, String out) {
    }

    /**
     * The command line of a child JVM running {@code mainClass} on {@code classPath}, with the one
     * flag a JVM that loads uring-ffi needs (native access: jffi loads its stub, the ring memory is
     * reinterpreted) and sun.misc.Unsafe memory access denied, as in this module's own test JVMs.
     */
    static List<String> java(String classPath, String mainClass, String... args) {
        return javaWith(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=deny"),
                classPath, mainClass, args);
    }

    /** As {@link #java}, with exactly these JVM flags. */
    static List<String> javaWith(List<String> flags, String classPath, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(flags);
        cmd.add("-Xmx128m");
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** This JVM's class path (test classes, main classes, jnr-ffi and the rest). */
    static String classPath() {
        return System.getProperty("java.class.path");
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

    /** A field of /proc/self/status in kB (VmLck, VmPin, ...). */
    static long statusKb(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
            }
        }
        throw new AssertionError("/proc/self/status has no " + field);
    }

    static long openFds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /** Mappings of io_uring memory ("anon_inode:[io_uring]" in /proc/self/maps). */
    static long ringMappings() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains("io_uring")).count();
    }
}
