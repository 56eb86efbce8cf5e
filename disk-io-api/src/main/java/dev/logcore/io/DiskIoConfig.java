package dev.logcore.io;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The settings an engine is opened with: string keys and values, read through typed getters that
 * reject malformed values with a message naming the key. Providers document their own keys with
 * their provider name as a prefix ({@code nio.threads}, {@code uring.entries}, ...); keys shared by
 * every provider have none.
 */
public final class DiskIoConfig {
    /** Shared key: the most operations an engine admits at once before refusing with EAGAIN. */
    public static final String MAX_IN_FLIGHT = "maxInFlight";
    /** Shared key: how long close() waits for operations in flight, in milliseconds. */
    public static final String CLOSE_TIMEOUT_MS = "closeTimeoutMs";

    private static final DiskIoConfig EMPTY = new DiskIoConfig(Map.of());

    private final Map<String, String> values;

    private DiskIoConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** No settings: every provider's defaults. */
    public static DiskIoConfig defaults() {
        return EMPTY;
    }

    /** The given settings. */
    public static DiskIoConfig of(Map<String, String> values) {
        Objects.requireNonNull(values, "values");
        values.forEach((k, v) -> {
            Objects.requireNonNull(k, "setting key");
            Objects.requireNonNull(v, () -> "value of setting " + k);
        });
        return new DiskIoConfig(values);
    }

    /**
     * The settings in {@code props} whose keys start with {@code prefix}, with the prefix removed
     * (for example {@code diskio.uring.entries} read with prefix {@code diskio.}).
     */
    public static DiskIoConfig fromProperties(Properties props, String prefix) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith(prefix)) {
                m.put(key.substring(prefix.length()), props.getProperty(key).trim());
            }
        }
        return new DiskIoConfig(m);
    }

    /** These settings with {@code overrides} on top. */
    public DiskIoConfig with(Map<String, String> overrides) {
        Map<String, String> m = new LinkedHashMap<>(values);
        m.putAll(overrides);
        return of(m);
    }

    /** These settings with one more. */
    public DiskIoConfig with(String key, String value) {
        return with(Map.of(key, value));
    }

    /** All settings. */
    public Map<String, String> asMap() {
        return values;
    }

    /** The raw value, or {@code null}. */
    public String get(String key) {
        return values.get(key);
    }

    /** A string setting. */
    public String getString(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    /**
     * An integer setting within {@code [min, max]}.
     *
     * @throws IllegalArgumentException if the value is not an integer or is out of range
     */
    public int getInt(String key, int defaultValue, int min, int max) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + "=" + v + " is not an integer");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("setting " + key + "=" + n + " is outside [" + min + ", " + max + "]");
        }
        return n;
    }

    /**
     * A boolean setting ({@code true}/{@code false}, also {@code yes}/{@code no}, {@code on}/{@code off}, 1/0).
     *
     * @throws IllegalArgumentException if the value is none of those
     */
    public boolean getBoolean(String key, boolean defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("setting " + key + "=" + v + " is not a boolean");
        };
    }

    /** A duration setting given in milliseconds. */
    public Duration getMillis(String key, Duration defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        return Duration.ofMillis(getInt(key, 0, 0, Integer.MAX_VALUE));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DiskIoConfig c && c.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
