package dev.logcore.app;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
import java.util.logging.Logger;

/**
 * One line per event on standard output: time, level, source, message. The server's code logs
 * through System.Logger, Vert.x and Netty through java.util.logging; both end here. Standard error
 * is kept for the one-line fatal errors of a failed start.
 */
final class Logging {
    /**
     * vertx-micrometer-metrics 5.0 registers its per-connection gauges (e.g.
     * vertx.http.server.active.connections) once per connection; Micrometer answers the existing
     * gauge, so the values are right, but warns once (vert-x3/vertx-micrometer-metrics#259, open).
     * That one warning about Vert.x's own meters is dropped; every other record of the logger
     * passes. Held here because java.util.logging keeps loggers, and so their filters, weakly.
     */
    private static final Logger MICROMETER = Logger.getLogger("io.micrometer.core.instrument.MeterRegistry");
    private static final String VERTX_GAUGE_AGAIN = "This Gauge has been already registered (MeterId{name='vertx.";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private Logging() {
    }

    static void configure(String level) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Level lvl = switch (level) {
            case "error" -> Level.SEVERE;
            case "warn" -> Level.WARNING;
            case "debug" -> Level.FINE;
            case "trace" -> Level.FINEST;
            default -> Level.INFO;
        };
        root.setLevel(lvl);
        // Netty's debug output is about Netty itself; keep it for trace.
        Logger.getLogger("io.netty").setLevel(lvl.intValue() < Level.FINE.intValue() ? lvl : Level.INFO);
        MICROMETER.setFilter(r -> r.getMessage() == null || !r.getMessage().startsWith(VERTX_GAUGE_AGAIN));
        Handler h = new StdoutHandler(System.out);
        h.setLevel(lvl);
        h.setFormatter(new LineFormatter());
        root.addHandler(h);
    }

    /**
     * A handler writing to standard output and flushing every record. (A ConsoleHandler cannot be
     * pointed at stdout: setOutputStream would close System.err, which it writes to at first.)
     */
    private static final class StdoutHandler extends StreamHandler {
        StdoutHandler(PrintStream out) {
            super(out, new SimpleFormatter());
        }

        @Override
        public synchronized void close() {
            flush(); // never close System.out
        }

        @Override
        public synchronized void publish(LogRecord record) {
            super.publish(record);
            flush();
        }
    }

    private static final class LineFormatter extends Formatter {
        @Override
        public String format(LogRecord r) {
            String name = r.getLoggerName() == null ? "" : r.getLoggerName();
            int dot = name.lastIndexOf('.');
            StringBuilder sb = new StringBuilder(128)
                    .append(TIME.format(Instant.ofEpochMilli(r.getMillis()))).append(' ')
                    .append(label(r.getLevel())).append(' ')
                    .append(dot >= 0 ? name.substring(dot + 1) : name).append(": ")
                    .append(formatMessage(r)).append(System.lineSeparator());
            if (r.getThrown() != null) {
                java.io.StringWriter sw = new java.io.StringWriter();
                r.getThrown().printStackTrace(new java.io.PrintWriter(sw));
                sb.append(sw);
            }
            return sb.toString();
        }

        private static String label(Level l) {
            if (l.intValue() >= Level.SEVERE.intValue()) {
                return "ERROR";
            }
            if (l.intValue() >= Level.WARNING.intValue()) {
                return "WARN ";
            }
            if (l.intValue() >= Level.INFO.intValue()) {
                return "INFO ";
            }
            return l.intValue() >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
        }
    }
}
