package dev.logcore.app.config;

import dev.logcore.io.BackendSetting;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads the settings through vertx-config from four sources, the later overriding the earlier: the
 * properties file, system properties ({@code logcore.<key>}), environment variables
 * ({@code LOGCORE_<KEY>}) and command-line flags ({@code --<key>}). This is the precedence the SPI's
 * {@link BackendSetting} uses for {@code backend}, so every setting follows one rule.
 *
 * <p>The properties file is {@code --config FILE} (or {@code LOGCORE_CONFIG} /
 * {@code logcore.config}); without one, {@code ./logcore.properties} when it exists.
 */
public final class ConfigLoader {
    /** Keys with this prefix go to the DiskIo engine's config, without it. */
    public static final String DISKIO_PREFIX = "diskio.";
    /** The properties file read when none is named and it exists. */
    public static final String DEFAULT_CONFIG_FILE = "logcore.properties";
    static final String CONFIG_FLAG = "--config";
    static final String CONFIG_ENV = "LOGCORE_CONFIG";
    static final String CONFIG_PROPERTY = "logcore.config";

    private ConfigLoader() {
    }

    /** What the command line asked for besides settings. */
    public record Loaded(Settings settings, boolean help, boolean printConfig, List<String> warnings) {
    }

    /**
     * Reads every source for the process's environment and system properties.
     *
     * @param args the flags after {@code serve}
     * @throws ConfigException for an unknown flag, a flag without a value, a missing named config
     *     file or a malformed value (the message names the setting and its source)
     */
    public static Loaded load(List<String> args) throws ConfigException {
        Map<String, String> flags = new LinkedHashMap<>();
        boolean help = false;
        boolean printConfig = false;
        String configFlag = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--help") || a.equals("-h")) {
                help = true;
                continue;
            }
            if (a.equals("--print-config")) {
                printConfig = true;
                continue;
            }
            if (!a.startsWith("--")) {
                throw new ConfigException("unexpected argument '" + a + "' (flags are --name value or --name=value; see --help)");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new ConfigException("flag --" + name + " needs a value (see --help)");
            }
            if (("--" + name).equals(CONFIG_FLAG)) {
                configFlag = value;
            } else if (name.startsWith(DISKIO_PREFIX) || Setting.byKey(name) != null) {
                flags.put(name, value);
            } else {
                throw new ConfigException("unknown flag --" + name + " (see --help)");
            }
        }
        if (help) {
            return new Loaded(null, true, false, List.of());
        }

        Map<String, String> env = System.getenv();
        Properties sys = System.getProperties();
        Path configFile = chooseConfigFile(configFlag, env, sys);

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1).setUseDaemonThread(true));
        Map<String, String> fileLayer;
        Map<String, String> sysLayer;
        Map<String, String> envLayer;
        Map<String, String> flagLayer;
        try {
            fileLayer = configFile == null ? Map.of() : read(vertx, new ConfigStoreOptions().setType("file").setFormat("properties")
                    .setConfig(new JsonObject().put("path", configFile.toString()).put("raw-data", true)), "config file " + configFile);
            sysLayer = read(vertx, new ConfigStoreOptions().setType("sys")
                    .setConfig(new JsonObject().put("raw-data", true).put("cache", false)), "system properties");
            JsonArray envKeys = new JsonArray();
            for (Setting s : Setting.values()) {
                envKeys.add(s.envName());
            }
            envLayer = read(vertx, new ConfigStoreOptions().setType("env")
                    .setConfig(new JsonObject().put("raw-data", true).put("keys", envKeys)), "environment");
            JsonObject flagJson = new JsonObject();
            flags.forEach(flagJson::put);
            flagLayer = read(vertx, new ConfigStoreOptions().setType("json").setConfig(flagJson), "flags");
        } finally {
            vertx.close();
        }

        EnumMap<Setting, String> values = new EnumMap<>(Setting.class);
        EnumMap<Setting, String> sources = new EnumMap<>(Setting.class);
        Map<String, String> diskIo = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        Properties fileProps = new Properties();

        // Lowest precedence first; each layer overrides what came before.
        for (Map.Entry<String, String> e : fileLayer.entrySet()) {
            fileProps.setProperty(e.getKey(), e.getValue());
            Setting s = Setting.byKey(e.getKey());
            if (s != null) {
                values.put(s, e.getValue());
                sources.put(s, "config file " + configFile.getFileName() + " key " + s.key());
            } else if (e.getKey().startsWith(DISKIO_PREFIX)) {
                diskIo.put(e.getKey().substring(DISKIO_PREFIX.length()), e.getValue());
            } else {
                warnings.add("config file " + configFile + ": key '" + e.getKey() + "' is not a server setting; ignored");
            }
        }
        for (Map.Entry<String, String> e : sysLayer.entrySet()) {
            if (!e.getKey().startsWith("logcore.") || e.getKey().equals(CONFIG_PROPERTY)) {
                continue;
            }
            String key = e.getKey().substring("logcore.".length());
            Setting s = Setting.byKey(key);
            if (s != null) {
                values.put(s, e.getValue());
                sources.put(s, "system property " + s.propertyName());
            } else if (key.startsWith(DISKIO_PREFIX)) {
                diskIo.put(key.substring(DISKIO_PREFIX.length()), e.getValue());
            } else if (!key.startsWith("require.") && !key.startsWith("test.")) {
                warnings.add("system property '" + e.getKey() + "' is not a server setting; ignored");
            }
        }
        for (Setting s : Setting.values()) {
            String v = envLayer.get(s.envName());
            if (v != null) {
                values.put(s, v);
                sources.put(s, "environment " + s.envName());
            }
        }
        for (Map.Entry<String, String> e : flagLayer.entrySet()) {
            Setting s = Setting.byKey(e.getKey());
            if (s != null) {
                values.put(s, e.getValue());
                sources.put(s, "flag " + s.flag());
            } else {
                diskIo.put(e.getKey().substring(DISKIO_PREFIX.length()), e.getValue());
            }
        }

        BackendSetting backend;
        try {
            backend = BackendSetting.resolve(args, env, sys, fileProps);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        Settings settings = new Settings(values, sources, backend, fileProps, configFile, diskIo);
        return new Loaded(settings, false, printConfig, warnings);
    }

    private static Path chooseConfigFile(String flag, Map<String, String> env, Properties sys) throws ConfigException {
        String named = flag;
        String source = "flag " + CONFIG_FLAG;
        if (named == null && env.get(CONFIG_ENV) != null) {
            named = env.get(CONFIG_ENV);
            source = "environment " + CONFIG_ENV;
        }
        if (named == null && sys.getProperty(CONFIG_PROPERTY) != null) {
            named = sys.getProperty(CONFIG_PROPERTY);
            source = "system property " + CONFIG_PROPERTY;
        }
        if (named != null) {
            Path p = Path.of(named).toAbsolutePath().normalize();
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                throw new ConfigException("config file " + p + " (" + source + ") does not exist or cannot be read");
            }
            return p;
        }
        Path dflt = Path.of(DEFAULT_CONFIG_FILE).toAbsolutePath().normalize();
        return Files.isRegularFile(dflt) ? dflt : null;
    }

    private static Map<String, String> read(Vertx vertx, ConfigStoreOptions store, String what) throws ConfigException {
        ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
                .setIncludeDefaultStores(false).setScanPeriod(0).addStore(store));
        try {
            JsonObject json = retriever.getConfig().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : json) {
                out.put(e.getKey(), e.getValue() == null ? "" : String.valueOf(e.getValue()));
            }
            return out;
        } catch (ExecutionException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new ConfigException("cannot read " + what + ": " + c.getMessage());
        } catch (TimeoutException e) {
            throw new ConfigException("reading " + what + " took longer than 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while reading " + what);
        } finally {
            retriever.close();
        }
    }
}
