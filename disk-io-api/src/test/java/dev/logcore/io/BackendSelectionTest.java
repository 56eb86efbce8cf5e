package dev.logcore.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BackendSelectionTest {

    private static Properties props(String k, String v) {
        Properties p = new Properties();
        p.setProperty(k, v);
        return p;
    }

    @Test
    void theFlagBeatsTheEnvironmentBeatsThePropertyBeatsTheFile() {
        Properties sys = props("logcore.backend", "from-prop");
        Properties file = props("backend", "from-file");
        Map<String, String> env = Map.of("LOGCORE_BACKEND", "from-env");
        assertEquals("from-flag", BackendSetting.resolve(List.of("--backend", "from-flag"), env, sys, file).value());
        assertEquals("from-flag", BackendSetting.resolve(List.of("--port", "1", "--backend=from-flag"), env, sys, file).value());
        assertEquals("from-env", BackendSetting.resolve(List.of(), env, sys, file).value());
        assertEquals("from-prop", BackendSetting.resolve(List.of(), Map.of(), sys, file).value());
        BackendSetting f = BackendSetting.resolve(List.of(), Map.of(), new Properties(), file);
        assertEquals("from-file", f.value());
        assertTrue(f.source().contains("config file"));
        BackendSetting d = BackendSetting.resolve(List.of(), Map.of(), new Properties(), new Properties());
        assertTrue(d.isAuto());
        assertEquals("default", d.source());
    }

    @Test
    void emptyOrMissingValuesAreErrors() {
        assertThrows(IllegalArgumentException.class, () -> BackendSetting.resolve(List.of("--backend"), Map.of(), new Properties(), new Properties()));
        assertThrows(IllegalArgumentException.class, () -> BackendSetting.resolve(List.of("--backend="), Map.of(), new Properties(), new Properties()));
        assertThrows(IllegalArgumentException.class, () -> BackendSetting.resolve(List.of(), Map.of("LOGCORE_BACKEND", " "), new Properties(), new Properties()));
    }

    private record Fake(String name, int preference, Availability answer) implements DiskIoProvider {
        @Override
        public String description() {
            return "fake";
        }

        @Override
        public Availability probe() {
            return answer;
        }

        @Override
        public DiskIo open(DiskIoConfig config) {
            throw new UnsupportedOperationException();
        }
    }

    private static final class Exploding implements DiskIoProvider {
        @Override
        public String name() {
            return "boom";
        }

        @Override
        public String description() {
            return "throws from its probe";
        }

        @Override
        public int preference() {
            return 1000;
        }

        @Override
        public Availability probe() {
            throw new UnsatisfiedLinkError("no libboom in java.library.path");
        }

        @Override
        public DiskIo open(DiskIoConfig config) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void autoTakesTheMostPreferredAvailableAndSaysWhyOthersWerePassedOver() throws Exception {
        List<DiskIoProvider> ps = List.of(new Exploding(),
                new Fake("fast", 300, Availability.unavailable("io_uring is disabled: sysctl kernel.io_uring_disabled=2")),
                new Fake("mid", 200, Availability.available("ok")),
                new Fake("slow", 100, Availability.available("ok")));
        DiskIoProviders.Selection s = DiskIoProviders.select("auto", ps);
        assertEquals("mid", s.provider().name());
        assertTrue(s.reason().contains("fast (unavailable: io_uring is disabled"), s.reason());
        assertTrue(s.reason().contains("boom (unavailable: probe failed"), s.reason());
        assertTrue(s.reason().contains("slow (available, less preferred)"), s.reason());
    }

    @Test
    void anExplicitUnavailableOrUnknownNameFailsWithItsReasonNeverFallsBack() {
        List<DiskIoProvider> ps = List.of(new Fake("fast", 300, Availability.unavailable("EPERM from a seccomp filter")),
                new Fake("slow", 100, Availability.available("ok")));
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> DiskIoProviders.select("fast", ps));
        assertEquals("backend 'fast' is not available: EPERM from a seccomp filter", e.getMessage());
        BackendUnavailableException u = assertThrows(BackendUnavailableException.class, () -> DiskIoProviders.select("nosuch", ps));
        assertEquals("backend 'nosuch' is unknown: the providers here are fast, slow (or auto)", u.getMessage());
        assertThrows(BackendUnavailableException.class, () -> DiskIoProviders.select("auto",
                List.of(new Fake("x", 1, Availability.unavailable("nope")))));
    }
}
