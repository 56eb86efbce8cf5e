package dev.logcore.app;

import dev.logcore.app.config.ConfigException;
import dev.logcore.app.config.ConfigLoader;
import dev.logcore.app.config.Settings;
import dev.logcore.app.config.Sizes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest {
    @TempDir
    Path dir;

    @Test
    void sizesAreWrittenAsInRedisConfig() {
        assertEquals(64, Sizes.parse("64"));
        assertEquals(1000, Sizes.parse("1k"));
        assertEquals(1024, Sizes.parse("1kb"));
        assertEquals(32L << 20, Sizes.parse("32mb"));
        assertEquals(32L << 20, Sizes.parse("32MB"));
        assertEquals(2_000_000_000L, Sizes.parse("2g"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("mb"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("3 parsecs"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("-1"));
        assertEquals("8mb", Sizes.format(8L << 20));
    }

    @Test
    void defaults() throws Exception {
        Settings s = Settings.of(Map.of());
        assertEquals(6380, s.port());
        assertEquals(8080, s.httpPort());
        assertEquals("127.0.0.1", s.host());
        assertEquals("auto", s.backend().value());
        assertEquals(Path.of("data").toAbsolutePath(), s.dataDir());
        assertEquals(Runtime.getRuntime().availableProcessors(), s.eventLoops());
        assertEquals(32L << 20, s.outputHardLimit());
        assertEquals(8L << 20, s.outputSoftLimit());
        assertEquals(60, s.outputSoftSeconds());
        assertEquals(64 << 20, s.maxBulkLength());
        assertEquals(64 * 1024, s.maxInlineLength());
        assertEquals(10_000, s.maxConnections());
    }

    @Test
    void badValuesNameTheSettingAndSource() {
        ConfigException e = assertThrows(ConfigException.class, () -> Settings.of(Map.of("port", "70000")));
        assertTrue(e.getMessage().startsWith("port=70000 (given) is outside"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> Settings.of(Map.of("transport", "epoll")));
        assertTrue(e.getMessage().contains("not one of auto, io_uring, nio"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> Settings.of(Map.of("max-bulk-length", "200mb")));
        assertTrue(e.getMessage().contains("must be larger than max-bulk-length"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> Settings.of(Map.of("event-loops", "0")));
        assertTrue(e.getMessage().contains("event-loops"), e.getMessage());
        assertThrows(ConfigException.class, () -> Settings.of(Map.of("no-such-key", "1")));
    }

    @Test
    void propertiesFileAndFlags() throws Exception {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "port=7000\nhttp-port=-1\nmax-connections=12\ndiskio.maxInFlight=99\nunrelated.key=1\n");
        ConfigLoader.Loaded l = ConfigLoader.load(List.of("--config", file.toString(), "--max-connections=13", "--diskio.closeTimeoutMs", "500"));
        Settings s = l.settings();
        assertEquals(7000, s.port());
        assertEquals(-1, s.httpPort());
        assertEquals(13, s.maxConnections());
        assertEquals("flag --max-connections", s.source(dev.logcore.app.config.Setting.MAX_CONNECTIONS));
        assertTrue(s.source(dev.logcore.app.config.Setting.PORT).contains("config file"));
        assertEquals(Map.of("maxInFlight", "99", "closeTimeoutMs", "500"), s.diskIo());
        assertEquals("7000", s.configFileProperties().getProperty("port"));
        assertEquals(1, l.warnings().size(), "the unknown key is reported: " + l.warnings());
    }

    @Test
    void helpAndUnknownFlags() throws Exception {
        assertTrue(ConfigLoader.load(List.of("--help")).help());
        assertTrue(ConfigLoader.load(List.of("--port", "1", "-h")).help());
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of("--prot", "1")));
        assertEquals("unknown flag --prot (see --help)", e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of("--port")));
        assertEquals("flag --port needs a value (see --help)", e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of("serve")));
        assertTrue(e.getMessage().startsWith("unexpected argument 'serve'"));
    }

    @Test
    void usageNamesEverySetting() {
        String u = Main.usage();
        for (dev.logcore.app.config.Setting s : dev.logcore.app.config.Setting.values()) {
            assertTrue(u.contains(s.flag()), s.flag());
        }
    }
}
