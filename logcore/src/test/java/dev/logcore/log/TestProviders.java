package dev.logcore.log;

import dev.logcore.io.Availability;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.DiskIoProvider;
import dev.logcore.io.DiskIoProviders;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The providers the log's tests run against: every provider on the test class path (found with
 * ServiceLoader; the log never names one). Those named by {@code -Dlogcore.log.require} must be
 * present and available, and at least one must be: a missing provider fails, it never turns tests
 * into skips.
 */
final class TestProviders {
    private TestProviders() {
    }

    static List<String> required() {
        String v = System.getProperty("logcore.log.require", "");
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The available providers; throws (failing the test) if none is, or a required one is missing. */
    static List<DiskIoProvider> all() {
        List<DiskIoProvider> found = DiskIoProviders.discover();
        List<DiskIoProvider> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (DiskIoProvider p : found) {
            Availability a = DiskIoProviders.safeProbe(p);
            if (a.available()) {
                out.add(p);
            } else if (required().contains(p.name())) {
                problems.add(p.name() + " is required but unavailable: " + a.reason());
            }
        }
        for (String r : required()) {
            if (found.stream().noneMatch(p -> p.name().equals(r))) {
                problems.add(r + " is required but not on the test class path");
            }
        }
        if (out.isEmpty()) {
            problems.add("no DiskIo provider is available on the test class path");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
        return out;
    }

    /** Provider names, for {@code @MethodSource}. */
    static Stream<String> names() {
        return all().stream().map(DiskIoProvider::name);
    }

    static DiskIo open(String name) {
        for (DiskIoProvider p : all()) {
            if (p.name().equals(name)) {
                try {
                    return p.open(DiskIoConfig.defaults());
                } catch (dev.logcore.io.DiskIoException e) {
                    throw new IllegalStateException("provider " + name + " failed to open: " + e.getMessage(), e);
                }
            }
        }
        throw new IllegalStateException("no provider " + name);
    }

    /** The most preferred available provider's engine. */
    static DiskIo openBest() {
        return open(all().get(0).name());
    }
}
