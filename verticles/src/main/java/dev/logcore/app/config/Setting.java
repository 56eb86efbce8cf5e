package dev.logcore.app.config;

import java.util.Locale;

/**
 * Every setting of the server, with its default and its names in each source. One key names a
 * setting everywhere: {@code port} is the key {@code port} in the properties file, the system
 * property {@code logcore.port}, the environment variable {@code LOGCORE_PORT} and the flag
 * {@code --port}. docs/CONFIG.md lists them; {@code serve --help} prints this table.
 */
public enum Setting {
    BACKEND("backend", "auto", Kind.TEXT,
            "DiskIo provider: auto (the best available), nio, uring-ffi or uring-jni"),
    DATA_DIR("data-dir", "./data", Kind.TEXT,
            "data directory (relative to the working directory)"),
    HOST("host", "127.0.0.1", Kind.TEXT,
            "address the RESP (Redis protocol) server binds"),
    PORT("port", "6380", Kind.PORT,
            "RESP port; 6380 so it can run beside a Redis on 6379; 0 picks a free port"),
    HTTP_HOST("http-host", "127.0.0.1", Kind.TEXT,
            "address the HTTP server (health, metrics) binds"),
    HTTP_PORT("http-port", "8080", Kind.PORT_OR_OFF,
            "HTTP port for /health and /metrics; 0 picks a free port, -1 turns HTTP off"),
    EVENT_LOOPS("event-loops", "cpus", Kind.COUNT,
            "event loops, one pub/sub server verticle each; 'cpus' means one per CPU"),
    TRANSPORT("transport", "auto", Kind.TEXT,
            "network transport: auto (io_uring when the kernel allows it, else nio), io_uring, nio"),
    MAX_CONNECTIONS("max-connections", "10000", Kind.COUNT,
            "most client connections at once (Redis maxclients)"),
    MAX_BULK_LENGTH("max-bulk-length", "64mb", Kind.SIZE,
            "largest bulk string a client may send (Redis proto-max-bulk-len, 512mb there)"),
    MAX_INLINE_LENGTH("max-inline-length", "64kb", Kind.SIZE,
            "longest inline command line and RESP length header (64kb as in Redis)"),
    MAX_QUERY_BUFFER("max-query-buffer", "128mb", Kind.SIZE,
            "most unprocessed input one connection may hold (Redis client-query-buffer-limit, 1gb there)"),
    PUBSUB_OUTPUT_HARD_LIMIT("pubsub-output-hard-limit", "32mb", Kind.SIZE,
            "a subscriber whose pending output reaches this is disconnected at once (0 = no limit)"),
    PUBSUB_OUTPUT_SOFT_LIMIT("pubsub-output-soft-limit", "8mb", Kind.SIZE,
            "a subscriber whose pending output stays at or above this for pubsub-output-soft-seconds is disconnected (0 = no limit)"),
    PUBSUB_OUTPUT_SOFT_SECONDS("pubsub-output-soft-seconds", "60", Kind.SECONDS,
            "how long a subscriber may stay over pubsub-output-soft-limit"),
    SHUTDOWN_TIMEOUT_MS("shutdown-timeout-ms", "10000", Kind.MILLIS,
            "on SIGTERM/SIGINT, how long connections get to flush before they are closed"),
    LOG_LEVEL("log-level", "info", Kind.TEXT,
            "log level: error, warn, info, debug or trace");

    /** How a value is read; {@link Settings} does the reading. */
    public enum Kind { TEXT, PORT, PORT_OR_OFF, COUNT, SIZE, SECONDS, MILLIS }

    private final String key;
    private final String defaultValue;
    private final Kind kind;
    private final String help;

    Setting(String key, String defaultValue, Kind kind, String help) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.kind = kind;
        this.help = help;
    }

    /** The key in the properties file, such as {@code data-dir}. */
    public String key() {
        return key;
    }

    /** The default as it would be written in the properties file. */
    public String defaultValue() {
        return defaultValue;
    }

    public Kind kind() {
        return kind;
    }

    /** One line for --help. */
    public String help() {
        return help;
    }

    /** The command-line flag, such as {@code --data-dir}. */
    public String flag() {
        return "--" + key;
    }

    /** The environment variable, such as {@code LOGCORE_DATA_DIR}. */
    public String envName() {
        return "LOGCORE_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The system property, such as {@code logcore.data-dir}. */
    public String propertyName() {
        return "logcore." + key;
    }

    /** The setting whose key is {@code key}, or {@code null}. */
    public static Setting byKey(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        return null;
    }
}
