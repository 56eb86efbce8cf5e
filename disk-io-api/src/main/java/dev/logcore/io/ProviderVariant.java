package dev.logcore.io;

import java.util.Map;
import java.util.Objects;

/**
 * A configuration a provider declares as worth testing on its own, such as io_uring with
 * registered buffers or with SQPOLL. The conformance suite runs every test body over every variant
 * of every provider (and, for each, buffered and O_DIRECT files).
 *
 * @param name a short stable name, used in test names ({@code plain}, {@code registered-buffers})
 * @param settings the settings that make this variant, added to the engine's config
 */
public record ProviderVariant(String name, Map<String, String> settings) {

    public ProviderVariant {
        Objects.requireNonNull(name, "name");
        settings = Map.copyOf(settings);
    }

    /** The variant with no settings of its own. */
    public static ProviderVariant plain() {
        return new ProviderVariant("plain", Map.of());
    }
}
