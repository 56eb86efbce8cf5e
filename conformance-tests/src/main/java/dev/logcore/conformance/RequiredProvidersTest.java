package dev.logcore.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.Availability;
import dev.logcore.io.BackendUnavailableException;
import dev.logcore.io.DiskIoProvider;
import dev.logcore.io.DiskIoProviders;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The providers the build produces must be here and available: a provider that silently went
 * missing (or whose probe fails) would otherwise turn the whole suite into skips.
 */
class RequiredProvidersTest {

    @TestFactory
    List<DynamicTest> everyRequiredProviderIsPresentAndAvailableInEveryVariant() {
        List<String> required = Targets.required();
        if (required.isEmpty()) {
            return List.of(DynamicTest.dynamicTest("no provider is required (-Dlogcore.conformance.require): at least one is on the class path",
                    () -> assertFalse(DiskIoProviders.discover().isEmpty(), "no DiskIo provider on the class path")));
        }
        return required.stream().map(name -> DynamicTest.dynamicTest("[" + name + "] is present and available", () -> {
            Optional<DiskIoProvider> p = DiskIoProviders.discover().stream().filter(x -> x.name().equals(name)).findFirst();
            assertTrue(p.isPresent(), "provider " + name + " is not on the class path: " + DiskIoProviders.discover().stream().map(DiskIoProvider::name).toList());
            Availability a = DiskIoProviders.safeProbe(p.get());
            assertTrue(a.available(), "provider " + name + " must be available here: " + a.reason());
            for (Targets.Combination c : Targets.all()) {
                if (c.provider().name().equals(name)) {
                    assertTrue(c.availability().available(), c.name() + " must run here: " + c.availability().reason());
                }
            }
            DiskIoProviders.Selection s = DiskIoProviders.select(name);
            assertEquals(name, s.provider().name(), "selecting by name gives that provider");
        })).toList();
    }

    @Test
    void providersHaveDistinctNamesAndDescribeThemselves() {
        List<DiskIoProvider> all = DiskIoProviders.discover();
        assertEquals(all.size(), all.stream().map(DiskIoProvider::name).distinct().count());
        for (DiskIoProvider p : all) {
            assertTrue(p.name().matches("[a-z0-9][a-z0-9-]*"), "a provider name is lower-case and flag-friendly: " + p.name());
            assertFalse(p.description().isBlank());
            assertFalse(p.variants().isEmpty(), p.name() + " declares at least one variant");
        }
    }

    @Test
    void autoPicksTheMostPreferredAvailableProviderAndUnknownNamesFail() throws Exception {
        List<DiskIoProvider> all = DiskIoProviders.discover();
        DiskIoProvider best = all.stream().filter(p -> DiskIoProviders.safeProbe(p).available()).findFirst().orElseThrow();
        assertEquals(best.name(), DiskIoProviders.select("auto").provider().name());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> DiskIoProviders.select("nosuch"));
        assertTrue(e.getMessage().contains("nosuch") && e.getMessage().contains(best.name()), e.getMessage());
    }
}
