package dev.logcore.io.uring.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the io_uring providers' tests share (published in this module's test-jar): their
 * directory, child processes and JVMs, /proc readings.
 */
public final class TestSupport {
    /**
     * The flags of a child JVM: native access (IoBuffer views, jffi's stub, the JNI shim) and
     * sun.misc.Unsafe memory access denied, so that a provider which starts using it fails its
     * tests instead of printing warnings in users' logs.
     */
    public static final List<String> CHILD_JVM_FLAGS =
            List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=deny");

    private TestSupport() {
    }

    /** A fresh directory under target/ (a disk file system: O_DIRECT works there). */
    public static Path dir(String name) throws IOException {
        Path base = Path.of(System.getProperty("logcore.test.dir", "target/test-files"));
        Path d = base.resolve(name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Files.createDirectories(d);
        return d.toAbsolutePath();
    }

    /** Deletes a directory and everything in it. */
    public static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The result of a child process. */
    public record Run(int exit, String out) {
    }

    /** Runs a command to its end (bounded), stdout and stderr together. */
    public static Run run(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
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

    /** This JVM's class path (test classes, main classes and every dependency). */
    public static String classPath() {
        return System.getProperty("java.class.path");
    }

    /** A child JVM on this test's class path running {@code main}, with {@link #CHILD_JVM_FLAGS}. */
    public static List<String> java(Class<?> main, String... args) {
        return java(classPath(), main.getName(), args);
    }

    /** A child JVM on {@code classPath} running {@code mainClass}, with {@link #CHILD_JVM_FLAGS}. */
    public static List<String> java(String classPath, String mainClass, String... args) {
        return javaWith(CHILD_JVM_FLAGS, classPath, mainClass, args);
    }

    /** As {@link #java(String, String, String...)}, with exactly these JVM flags. */
    public static List<String> javaWith(List<String> flags, String classPath, String mainClass, String... args) {
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

    /** A field of /proc/self/status: kB for VmPin, VmLck, VmRSS..., a count for "Threads". */
    public static long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new AssertionError("/proc/self/status has no " + field);
    }

    /** This process's open descriptors. */
    public static long openFds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /** This process's open io_uring instances (descriptors that link to anon_inode:[io_uring]). */
    public static int openRings() throws IOException {
        int rings = 0;
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : s.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).toString().contains("io_uring")) {
                        rings++;
                    }
                } catch (IOException gone) {
                    // closed while listing
                }
            }
        }
        return rings;
    }

    /** Mappings of io_uring memory ("anon_inode:[io_uring]" in /proc/self/maps). */
    public static long ringMappings() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains("io_uring")).count();
    }
}
