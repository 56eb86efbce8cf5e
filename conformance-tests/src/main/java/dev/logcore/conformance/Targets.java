package dev.logcore.conformance;

import dev.logcore.io.Availability;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.DiskIoProvider;
import dev.logcore.io.DiskIoProviders;
import dev.logcore.io.ProviderVariant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The combinations the suite runs: every provider on the class path x every variant it declares x
 * buffered and O_DIRECT. Settings come from system properties:
 *
 * <ul>
 *   <li>{@code logcore.conformance.require}: provider names that must be present and available
 *       (comma-separated); CI names every provider the build produces.
 *   <li>{@code logcore.conformance.strict}: when {@code true}, a combination that is unavailable
 *       here fails instead of being skipped.
 *   <li>{@code logcore.conformance.only}: run only these providers (comma-separated).
 *   <li>{@code logcore.conformance.dir}: where test files go; must be on a disk file system (not
 *       tmpfs) for O_DIRECT. Defaults to {@code java.io.tmpdir}.
 * </ul>
 */
public final class Targets {
    private Targets() {
    }

    /** A provider, one of its variants, one mode, and whether it can run here. */
    public record Combination(DiskIoProvider provider, ProviderVariant variant, Mode mode, Availability availability) {
        public String name() {
            return provider.name() + "/" + variant.name() + "/" + mode.label();
        }

        public DiskIoConfig config() {
            return DiskIoConfig.of(variant.settings());
        }
    }

    private static volatile List<Combination> cached;

    /** Every combination, most preferred provider first. */
    public static List<Combination> all() {
        List<Combination> c = cached;
        if (c == null) {
            c = compute();
            cached = c;
        }
        return c;
    }

    private static List<Combination> compute() {
        List<String> only = listProperty("logcore.conformance.only");
        Availability directHere = directIoAvailability(baseDir());
        List<Combination> out = new ArrayList<>();
        for (DiskIoProvider p : DiskIoProviders.discover()) {
            if (!only.isEmpty() && !only.contains(p.name())) {
                continue;
            }
            Availability pa = DiskIoProviders.safeProbe(p);
            for (ProviderVariant v : p.variants()) {
                Availability va = pa.available() ? safeProbe(p, DiskIoConfig.of(v.settings())) : pa;
                for (Mode m : Mode.values()) {
                    Availability a = va;
                    if (a.available() && m == Mode.DIRECT && !directHere.available()) {
                        a = directHere;
                    }
                    out.add(new Combination(p, v, m, a));
                }
            }
        }
        return List.copyOf(out);
    }

    private static Availability safeProbe(DiskIoProvider p, DiskIoConfig config) {
        try {
            Availability a = p.probe(config);
            return a != null ? a : Availability.unavailable("probe gave no answer");
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable("probe failed: " + e);
        }
    }

    /** The providers that must be present and available. */
    public static List<String> required() {
        return listProperty("logcore.conformance.require");
    }

    /** Whether unavailable combinations fail rather than skip. */
    public static boolean strict() {
        return Boolean.getBoolean("logcore.conformance.strict");
    }

    /** Where the suite's files go. */
    public static Path baseDir() {
        String dir = System.getProperty("logcore.conformance.dir");
        Path p = Path.of(dir != null && !dir.isBlank() ? dir : System.getProperty("java.io.tmpdir"));
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the conformance directory " + p + ": " + e, e);
        }
        return p.toAbsolutePath();
    }

    private static List<String> listProperty(String key) {
        String v = System.getProperty(key, "");
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Whether the directory's file system accepts O_DIRECT (tmpfs, for one, does not). */
    static Availability directIoAvailability(Path dir) {
        Path probe = dir.resolve(".odirect-probe-" + ProcessHandle.current().pid());
        try (var ch = java.nio.channels.FileChannel.open(probe, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE, com.sun.nio.file.ExtendedOpenOption.DIRECT)) {
            return Availability.available("O_DIRECT works in " + dir);
        } catch (IOException | UnsupportedOperationException e) {
            return Availability.unavailable("the file system of " + dir + " refuses O_DIRECT (" + e.getMessage()
                    + "); set -Dlogcore.conformance.dir to a directory on a disk");
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
