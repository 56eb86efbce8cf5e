package dev.logcore.app;

import dev.logcore.app.config.ConfigException;
import dev.logcore.app.config.ConfigLoader;
import dev.logcore.app.config.Setting;
import dev.logcore.app.config.Settings;
import sun.misc.Signal;

import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The command line: {@code serve [flags]} starts the server and runs until SIGTERM or SIGINT.
 *
 * <p>Exit status: 0 after a clean shutdown (also on SIGTERM/SIGINT, the way a systemd service is
 * stopped), 2 for a usage or settings error (one line on standard error: an unknown flag, a bad
 * value, an unknown or unavailable backend), 1 when the server cannot start or stop cleanly.
 */
public final class Main {
    private static final System.Logger LOG = System.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) {
        useJavaUtilLogging();
        System.exit(run(Arrays.asList(args)));
    }

    /**
     * Vert.x, Netty and Micrometer log through java.util.logging (which {@link Logging} formats), even when an
     * SLF4J API without a provider is on the class path: it would otherwise print its warnings on
     * standard error, where a failed start must leave exactly one line.
     */
    static void useJavaUtilLogging() {
        if (System.getProperty("vertx.logger-delegate-factory-class-name") == null) {
            System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.JULLogDelegateFactory");
        }
        io.netty.util.internal.logging.InternalLoggerFactory.setDefaultFactory(io.netty.util.internal.logging.JdkLoggerFactory.INSTANCE);
        io.micrometer.common.util.internal.logging.InternalLoggerFactory.setDefaultFactory(
                io.micrometer.common.util.internal.logging.JdkLoggerFactory.INSTANCE);
    }

    static int run(List<String> args) {
        if (args.isEmpty()) {
            System.err.println("usage: logcore serve [flags]   (logcore serve --help lists them)");
            return 2;
        }
        String command = args.get(0);
        if (command.equals("--help") || command.equals("-h") || command.equals("help")) {
            System.out.print(usage());
            return 0;
        }
        if (!command.equals("serve")) {
            System.err.println("logcore: unknown command '" + command + "' (try: serve --help)");
            return 2;
        }
        return serve(args.subList(1, args.size()));
    }

    private static int serve(List<String> flags) {
        ConfigLoader.Loaded loaded;
        try {
            loaded = ConfigLoader.load(flags);
        } catch (ConfigException e) {
            System.err.println("logcore: " + e.getMessage());
            return 2;
        }
        if (loaded.help()) {
            System.out.print(usage());
            return 0;
        }
        Settings settings = loaded.settings();
        if (loaded.printConfig()) {
            System.out.print(settings.describeAll());
            return 0;
        }
        Logging.configure(settings.logLevel());
        loaded.warnings().forEach(w -> LOG.log(Level.WARNING, w));
        if (settings.configFile() != null) {
            LOG.log(Level.INFO, "config file " + settings.configFile());
        }

        // Our own SIGTERM/SIGINT handlers (instead of the JVM's, which exit with 143/130 after the
        // shutdown hooks): the main thread stops the server and the process exits 0.
        CountDownLatch stopRequested = new CountDownLatch(1);
        AtomicBoolean signalled = new AtomicBoolean();
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), sig -> {
                if (signalled.compareAndSet(false, true)) {
                    LOG.log(Level.INFO, "SIG" + sig.getName() + " received: shutting down");
                    stopRequested.countDown();
                } else {
                    LOG.log(Level.WARNING, "SIG" + sig.getName() + " received again: exiting now");
                    Runtime.getRuntime().halt(1);
                }
            });
        }

        Application app;
        try {
            app = Application.start(settings);
        } catch (Application.StartException e) {
            System.err.println("logcore: " + e.getMessage());
            if (e.exitStatus() != 2) {
                LOG.log(Level.DEBUG, "start failed", e);
            }
            return e.exitStatus();
        }
        // Other ways out (System.exit elsewhere, SIGHUP) still close the engine.
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "logcore-shutdown"));
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return app.stop() ? 0 : 1;
    }

    /** The --help text: every setting with its flag, environment variable and default. */
    static String usage() {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: logcore serve [--name value | --name=value]...\n\n")
                .append("Starts LogCore: a pub/sub server speaking the Redis protocol (RESP2), on 127.0.0.1:6380 by\n")
                .append("default, and an HTTP server for /health and /metrics (Prometheus), on 127.0.0.1:8080.\n")
                .append("SIGTERM or Ctrl-C stops it gracefully (exit status 0).\n\n")
                .append("Settings. Each is also the key <name> in the properties file, the system property\n")
                .append("logcore.<name> and the environment variable shown. Precedence, highest first:\n")
                .append("flag, environment variable, system property, properties file, default.\n\n");
        for (Setting s : Setting.values()) {
            sb.append(String.format("  %-38s %-34s default: %s%n", s.flag() + " VALUE", s.envName(), s.defaultValue()));
            sb.append("      ").append(s.help()).append('\n');
        }
        sb.append(String.format("  %-38s %-34s default: %s%n", "--config FILE", "LOGCORE_CONFIG",
                "./" + ConfigLoader.DEFAULT_CONFIG_FILE + " if it exists"));
        sb.append("      the properties file (key=value lines; diskio.<key> lines go to the DiskIo engine)\n");
        sb.append(String.format("  %-38s %s%n", "--diskio.KEY VALUE", "a DiskIo engine setting (see docs/SPI.md), e.g. --diskio.maxInFlight 4096"));
        sb.append(String.format("  %-38s %s%n", "--print-config", "print every setting, its value and where it came from, then exit"));
        sb.append(String.format("  %-38s %s%n", "--help", "this text"));
        sb.append("\nSizes take a unit: b, k (1000), kb (1024), m, mb, g, gb.\n");
        sb.append("\nTalk to it with redis-cli:\n")
                .append("  redis-cli -p 6380 SUBSCRIBE news          # in one terminal\n")
                .append("  redis-cli -p 6380 PUBLISH news hello      # in another: prints the number of receivers\n")
                .append("  curl http://127.0.0.1:8080/metrics\n");
        return sb.toString();
    }
}
