package dev.logcore.io;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The one {@code backend} setting and where its value came from. Sources, highest first: the
 * command-line flag {@code --backend}, the environment variable {@code LOGCORE_BACKEND}, the system
 * property {@code logcore.backend}, the key {@code backend} of the config file; else {@code auto}.
 *
 * @param value a provider name or {@code auto}
 * @param source where it came from, for logs ({@code "flag --backend"}, {@code "default"}, ...)
 */
public record BackendSetting(String value, String source) {
    /** The command-line flag. */
    public static final String FLAG = "--backend";
    /** The environment variable. */
    public static final String ENV = "LOGCORE_BACKEND";
    /** The system property. */
    public static final String PROPERTY = "logcore.backend";
    /** The config file key. */
    public static final String CONFIG_KEY = "backend";
    /** The value that picks the best available provider. */
    public static final String AUTO = "auto";

    public BackendSetting {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
    }

    /**
     * Resolves the setting from its four sources.
     *
     * @param args command-line arguments ({@code --backend=x} or {@code --backend x}); may be empty
     * @param env the environment
     * @param systemProperties the system properties
     * @param configFile the config file's settings (empty when there is none)
     * @throws IllegalArgumentException if a source gives an empty value or the flag lacks one
     */
    public static BackendSetting resolve(List<String> args, Map<String, String> env,
                                         Properties systemProperties, Properties configFile) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals(FLAG)) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("flag --backend needs a value: auto, or a provider name");
                }
                return of(args.get(i + 1), "flag --backend");
            }
            if (a.startsWith(FLAG + "=")) {
                return of(a.substring(FLAG.length() + 1), "flag --backend");
            }
        }
        String v = env.get(ENV);
        if (v != null) {
            return of(v, "environment " + ENV);
        }
        v = systemProperties.getProperty(PROPERTY);
        if (v != null) {
            return of(v, "system property " + PROPERTY);
        }
        v = configFile.getProperty(CONFIG_KEY);
        if (v != null) {
            return of(v, "config file key " + CONFIG_KEY);
        }
        return new BackendSetting(AUTO, "default");
    }

    private static BackendSetting of(String raw, String source) {
        String v = raw.trim();
        if (v.isEmpty()) {
            throw new IllegalArgumentException(source + " gives an empty backend: use auto or a provider name");
        }
        return new BackendSetting(v, source);
    }

    /** Whether this asks for the best available provider. */
    public boolean isAuto() {
        return AUTO.equalsIgnoreCase(value);
    }
}
