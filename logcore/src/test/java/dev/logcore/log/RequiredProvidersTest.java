package dev.logcore.log;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.DiskIoProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The log's tests run against every provider on the test class path; the ones this build produces
 * ({@code -Dlogcore.log.require}, set in the pom) must be there and available, or the build fails
 * rather than running fewer tests.
 */
class RequiredProvidersTest {

    @Test
    void everyRequiredProviderIsHereAndAvailable() {
        List<DiskIoProvider> all = TestProviders.all(); // throws, failing the test, if one is missing
        assertFalse(all.isEmpty());
        for (String r : TestProviders.required()) {
            assertTrue(all.stream().anyMatch(p -> p.name().equals(r)), r + " is required and available");
        }
        assertFalse(TestProviders.required().isEmpty(), "the pom names the providers the log must be tested with");
    }
}
