package dev.logcore.app.config;

import dev.logcore.io.BackendSetting;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The server's settings after every source was read: the raw value of each {@link Setting}, where it
 * came from, and the typed values the server uses. Made by {@link ConfigLoader}, or by
 * {@link #of(Map)} in tests.
 */
public final class Settings {
    private final EnumMap<Setting, String> values;
    private final EnumMap<Setting, String> sources;
    private final BackendSetting backend;
    private final Properties configFileProperties;
    private final Path configFile;
    private final Map<String, String> diskIo;

    private final Path dataDir;
    private final String host;
    private final int port;
    private final String httpHost;
    private final int httpPort;
    private final int eventLoops;
    private final String transport;
    private final int maxConnections;
    private final int maxBulkLength;
    private final int maxInlineLength;
    private final long maxQueryBuffer;
    private final long outputHardLimit;
    private final long outputSoftLimit;
    private final long outputSoftSeconds;
    private final long shutdownTimeoutMs;
    private final String logLevel;

    Settings(EnumMap<Setting, String> values, EnumMap<Setting, String> sources, BackendSetting backend,
             Properties configFileProperties, Path configFile, Map<String, String> diskIo) throws ConfigException {
        this.values = new EnumMap<>(values);
        this.sources = new EnumMap<>(sources);
        this.backend = Objects.requireNonNull(backend);
        this.configFileProperties = configFileProperties;
        this.configFile = configFile;
        this.diskIo = Collections.unmodifiableMap(new LinkedHashMap<>(diskIo));
        for (Setting s : Setting.values()) {
            this.values.putIfAbsent(s, s.defaultValue());
            this.sources.putIfAbsent(s, "default");
        }
        this.values.put(Setting.BACKEND, backend.value());
        this.sources.put(Setting.BACKEND, backend.source());

        dataDir = Path.of(text(Setting.DATA_DIR)).toAbsolutePath().normalize();
        host = text(Setting.HOST);
        port = (int) number(Setting.PORT, 0, 65535);
        httpHost = text(Setting.HTTP_HOST);
        httpPort = (int) number(Setting.HTTP_PORT, -1, 65535);
        eventLoops = "cpus".equalsIgnoreCase(text(Setting.EVENT_LOOPS))
                ? Runtime.getRuntime().availableProcessors()
                : (int) number(Setting.EVENT_LOOPS, 1, 256);
        transport = oneOf(Setting.TRANSPORT, List.of("auto", "io_uring", "nio"));
        maxConnections = (int) number(Setting.MAX_CONNECTIONS, 1, 1_000_000);
        maxBulkLength = (int) size(Setting.MAX_BULK_LENGTH, 1, Integer.MAX_VALUE - 1024);
        maxInlineLength = (int) size(Setting.MAX_INLINE_LENGTH, 16, 64L * 1024 * 1024);
        maxQueryBuffer = size(Setting.MAX_QUERY_BUFFER, 1024, Long.MAX_VALUE);
        outputHardLimit = size(Setting.PUBSUB_OUTPUT_HARD_LIMIT, 0, Long.MAX_VALUE);
        outputSoftLimit = size(Setting.PUBSUB_OUTPUT_SOFT_LIMIT, 0, Long.MAX_VALUE);
        outputSoftSeconds = number(Setting.PUBSUB_OUTPUT_SOFT_SECONDS, 0, 365L * 24 * 3600);
        shutdownTimeoutMs = number(Setting.SHUTDOWN_TIMEOUT_MS, 0, 3_600_000);
        logLevel = oneOf(Setting.LOG_LEVEL, List.of("error", "warn", "info", "debug", "trace"));
        if (maxQueryBuffer <= maxBulkLength) {
            throw new ConfigException(describe(Setting.MAX_QUERY_BUFFER) + " must be larger than "
                    + Setting.MAX_BULK_LENGTH.key() + " (" + text(Setting.MAX_BULK_LENGTH) + ")");
        }
    }

    /**
     * Settings from explicit key-value pairs over the defaults (keys as in the properties file,
     * {@code diskio.*} keys go to the engine), as tests and embedders make them.
     */
    public static Settings of(Map<String, String> keyValues) throws ConfigException {
        EnumMap<Setting, String> values = new EnumMap<>(Setting.class);
        EnumMap<Setting, String> sources = new EnumMap<>(Setting.class);
        Map<String, String> diskIo = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : keyValues.entrySet()) {
            if (e.getKey().startsWith(ConfigLoader.DISKIO_PREFIX)) {
                diskIo.put(e.getKey().substring(ConfigLoader.DISKIO_PREFIX.length()), e.getValue());
                continue;
            }
            Setting s = Setting.byKey(e.getKey());
            if (s == null) {
                throw new ConfigException("unknown setting '" + e.getKey() + "'");
            }
            values.put(s, e.getValue());
            sources.put(s, "given");
        }
        String b = values.get(Setting.BACKEND);
        BackendSetting backend = b == null ? new BackendSetting(BackendSetting.AUTO, "default") : new BackendSetting(b.trim(), "given");
        return new Settings(values, sources, backend, new Properties(), null, diskIo);
    }

    private String text(Setting s) throws ConfigException {
        String v = values.get(s).trim();
        if (v.isEmpty()) {
            throw new ConfigException(describe(s) + " is empty");
        }
        return v;
    }

    private long number(Setting s, long min, long max) throws ConfigException {
        long n;
        try {
            n = Long.parseLong(text(s));
        } catch (NumberFormatException e) {
            throw new ConfigException(describe(s) + " is not a whole number");
        }
        if (n < min || n > max) {
            throw new ConfigException(describe(s) + " is outside [" + min + ", " + max + "]");
        }
        return n;
    }

    private long size(Setting s, long min, long max) throws ConfigException {
        long n;
        try {
            n = Sizes.parse(text(s));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ConfigException(describe(s) + " is not a size: " + e.getMessage());
        }
        if (n < min || n > max) {
            throw new ConfigException(describe(s) + " is outside [" + Sizes.format(min) + ", " + Sizes.format(max) + "]");
        }
        return n;
    }

    private String oneOf(Setting s, List<String> allowed) throws ConfigException {
        String v = text(s).toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw new ConfigException(describe(s) + " is not one of " + String.join(", ", allowed));
        }
        return v;
    }

    private String describe(Setting s) {
        return s.key() + "=" + values.get(s) + " (" + sources.get(s) + ")";
    }

    /** The raw value of a setting (the default when no source set it). */
    public String raw(Setting s) {
        return values.get(s);
    }

    /** Where a setting's value came from: "default", "flag --port", "environment LOGCORE_PORT", ... */
    public String source(Setting s) {
        return sources.get(s);
    }

    /** The backend setting as the SPI resolves it. */
    public BackendSetting backend() {
        return backend;
    }

    /** The config file's own properties (for the SPI's backend resolution); empty without a file. */
    public Properties configFileProperties() {
        return configFileProperties;
    }

    /** The config file read, or {@code null}. */
    public Path configFile() {
        return configFile;
    }

    /** Settings for the DiskIo engine ({@code diskio.*} keys without the prefix). */
    public Map<String, String> diskIo() {
        return diskIo;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String httpHost() {
        return httpHost;
    }

    /** The HTTP port; -1 when HTTP is off. */
    public int httpPort() {
        return httpPort;
    }

    public int eventLoops() {
        return eventLoops;
    }

    /** auto, io_uring or nio. */
    public String transport() {
        return transport;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int maxBulkLength() {
        return maxBulkLength;
    }

    public int maxInlineLength() {
        return maxInlineLength;
    }

    public long maxQueryBuffer() {
        return maxQueryBuffer;
    }

    public long outputHardLimit() {
        return outputHardLimit;
    }

    public long outputSoftLimit() {
        return outputSoftLimit;
    }

    public long outputSoftSeconds() {
        return outputSoftSeconds;
    }

    public long shutdownTimeoutMs() {
        return shutdownTimeoutMs;
    }

    public String logLevel() {
        return logLevel;
    }

    /** Every setting with its value and source, one per line, as --print-config shows them. */
    public String describeAll() {
        StringBuilder sb = new StringBuilder();
        if (configFile != null) {
            sb.append("# config file: ").append(configFile).append('\n');
        }
        for (Setting s : Setting.values()) {
            sb.append(s.key()).append('=').append(values.get(s)).append("    # ").append(sources.get(s)).append('\n');
        }
        for (Map.Entry<String, String> e : diskIo.entrySet()) {
            sb.append(ConfigLoader.DISKIO_PREFIX).append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        return sb.toString();
    }
}
