package dev.logcore.io.uring.jni;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Loads the provider's native library from the jar: it is copied to a private temporary file
 * (mode 0700, removed again once loaded: the mapping stays) and loaded with {@link System#load}.
 * A failure is remembered with its reason, never thrown from the provider's probe.
 */
final class NativeLibrary {
    static final String NAME = "liblogcore_uring_jni.so";
    /** System property: load this library file instead of the one in the jar (a build of your own). */
    static final String OVERRIDE = "logcore.uring.jni.library";

    private static final Result RESULT = load();

    private NativeLibrary() {
    }

    /** The outcome of loading: {@code null} reason when loaded. */
    record Result(boolean loaded, String reason) {
    }

    static Result result() {
        return RESULT;
    }

    /** The resource path of the library for this platform. */
    static String resource() {
        return "/META-INF/native/linux-" + System.getProperty("os.arch") + "/" + NAME;
    }

    @SuppressWarnings("restricted") // loading the provider's own JNI library is the point
    private static Result load() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return new Result(false, "io_uring is Linux only; this is " + System.getProperty("os.name"));
        }
        String override = System.getProperty(OVERRIDE);
        if (override != null && !override.isBlank()) {
            try {
                System.load(Path.of(override).toAbsolutePath().toString());
                Native.layout();
                return new Result(true, null);
            } catch (UnsatisfiedLinkError | SecurityException e) {
                return new Result(false, "the native library " + override + " (-D" + OVERRIDE + ") failed to load: " + e.getMessage());
            }
        }
        String res = resource();
        Path tmp = null;
        try (InputStream in = NativeLibrary.class.getResourceAsStream(res)) {
            if (in == null) {
                return new Result(false, "the native library " + res + " is not in the jar (no build for "
                        + System.getProperty("os.arch") + ")");
            }
            tmp = Files.createTempFile("logcore-uring-jni-", ".so", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            System.load(tmp.toAbsolutePath().toString());
            String layout = Native.layout(); // the first call proves the symbols resolve
            if (layout == null || layout.isEmpty()) {
                return new Result(false, "the native library loaded but does not answer");
            }
            return new Result(true, null);
        } catch (IOException e) {
            return new Result(false, "the native library could not be extracted: " + e);
        } catch (UnsatisfiedLinkError | SecurityException e) {
            return new Result(false, "the native library failed to load: " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover file in the temporary directory; harmless
                }
            }
        }
    }
}
