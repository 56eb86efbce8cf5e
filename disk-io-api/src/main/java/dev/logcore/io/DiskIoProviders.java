package dev.logcore.io;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the providers on the class path with {@link ServiceLoader} and picks one for a
 * {@link BackendSetting}. The choice and why the others were passed over is in
 * {@link Selection#reason()}; the application that selects logs it once at start (the server and
 * {@code logcore.sh check} do), so this class logs it only at DEBUG.
 */
public final class DiskIoProviders {
    private static final System.Logger LOG = System.getLogger("dev.logcore.io.DiskIoProviders");

    private DiskIoProviders() {
    }

    /**
     * A provider picked for a setting.
     *
     * @param provider the provider
     * @param availability its probe's answer (always available)
     * @param reason why it was picked, with why the others were passed over (for the log)
     */
    public record Selection(DiskIoProvider provider, Availability availability, String reason) {
    }

    /** A provider found on the class path with its probe's answer, for listings. */
    public record Probed(DiskIoProvider provider, Availability availability) {
    }

    /** The providers visible to the context class loader, most preferred first. */
    public static List<DiskIoProvider> discover() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return discover(cl != null ? cl : DiskIoProviders.class.getClassLoader());
    }

    /**
     * The providers visible to {@code loader}, most preferred first. A provider class that fails to
     * load is logged and left out; two providers with one name are an error.
     *
     * @throws IllegalStateException if two providers share a name
     */
    public static List<DiskIoProvider> discover(ClassLoader loader) {
        List<DiskIoProvider> found = new ArrayList<>();
        Map<String, DiskIoProvider> byName = new LinkedHashMap<>();
        Iterator<DiskIoProvider> it = ServiceLoader.load(DiskIoProvider.class, loader).iterator();
        while (true) {
            DiskIoProvider p;
            try {
                if (!it.hasNext()) {
                    break;
                }
                p = it.next();
            } catch (ServiceConfigurationError e) {
                LOG.log(Level.WARNING, "a DiskIo provider failed to load and is left out: " + e.getMessage());
                continue;
            }
            DiskIoProvider previous = byName.putIfAbsent(p.name(), p);
            if (previous != null) {
                throw new IllegalStateException("two DiskIo providers are named '" + p.name() + "': "
                        + previous.getClass().getName() + " and " + p.getClass().getName());
            }
            found.add(p);
        }
        found.sort(Comparator.comparingInt(DiskIoProvider::preference).reversed());
        return List.copyOf(found);
    }

    /** Every provider with its probe's answer, most preferred first. */
    public static List<Probed> probeAll(List<DiskIoProvider> providers) {
        List<Probed> out = new ArrayList<>();
        for (DiskIoProvider p : providers) {
            out.add(new Probed(p, safeProbe(p)));
        }
        return out;
    }

    /**
     * Picks the provider for {@code backend}: {@code auto} takes the most preferred available one and
     * logs why the others were passed over; a name takes that provider if it is available.
     *
     * @throws BackendUnavailableException if the named provider is missing or unavailable, or, for
     *     {@code auto}, if none is available; the message says why in one line
     */
    public static Selection select(String backend, List<DiskIoProvider> providers) throws BackendUnavailableException {
        Objects.requireNonNull(backend, "backend");
        if (BackendSetting.AUTO.equalsIgnoreCase(backend.trim())) {
            return selectAuto(providers);
        }
        String name = backend.trim();
        for (DiskIoProvider p : providers) {
            if (p.name().equals(name)) {
                Availability a = safeProbe(p);
                if (!a.available()) {
                    throw new BackendUnavailableException("backend '" + name + "' is not available: " + a.reason());
                }
                Selection s = new Selection(p, a, "asked for by name (" + a.reason() + ")");
                LOG.log(Level.DEBUG, "DiskIo backend " + name + ": " + s.reason());
                return s;
            }
        }
        List<String> names = providers.stream().map(DiskIoProvider::name).toList();
        throw new BackendUnavailableException("backend '" + name + "' is unknown: the providers here are "
                + (names.isEmpty() ? "none" : String.join(", ", names)) + " (or auto)");
    }

    /** {@link #select(String, List)} over {@link #discover()}. */
    public static Selection select(String backend) throws BackendUnavailableException {
        return select(backend, discover());
    }

    private static Selection selectAuto(List<DiskIoProvider> providers) throws BackendUnavailableException {
        List<String> passedOver = new ArrayList<>();
        Selection chosen = null;
        for (DiskIoProvider p : providers) {
            Availability a = safeProbe(p);
            if (chosen == null && a.available()) {
                chosen = new Selection(p, a, null);
            } else if (chosen == null) {
                passedOver.add(p.name() + " (unavailable: " + a.reason() + ")");
            } else {
                passedOver.add(p.name() + " (" + (a.available() ? "available, less preferred" : "unavailable: " + a.reason()) + ")");
            }
        }
        if (chosen == null) {
            throw new BackendUnavailableException("backend auto: no DiskIo provider is available"
                    + (passedOver.isEmpty() ? " (none on the class path)" : ": " + String.join("; ", passedOver)));
        }
        String reason = "auto chose the most preferred available provider (" + chosen.availability().reason() + ")"
                + (passedOver.isEmpty() ? "" : "; passed over: " + String.join("; ", passedOver));
        LOG.log(Level.DEBUG, "DiskIo backend " + chosen.provider().name() + ": " + reason);
        return new Selection(chosen.provider(), chosen.availability(), reason);
    }

    /** A probe that turns a misbehaving provider's exception into an unavailable answer. */
    public static Availability safeProbe(DiskIoProvider p) {
        try {
            Availability a = p.probe();
            return a != null ? a : Availability.unavailable("probe gave no answer");
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable("probe failed: " + e);
        }
    }
}
