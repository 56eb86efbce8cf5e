package dev.logcore.io.nio;

import dev.logcore.io.Availability;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.DiskIoProvider;
import dev.logcore.io.ProviderVariant;
import java.util.List;
import java.util.Map;

/**
 * The {@code nio} provider: {@link java.nio.channels.FileChannel} calls run on a bounded pool of the
 * engine's own threads. Available wherever the JDK is; the baseline the io_uring providers are
 * measured against.
 *
 * <p>Settings: {@code nio.threads} (worker threads, default 8), and the shared
 * {@code maxInFlight} and {@code closeTimeoutMs}.
 */
public final class NioProvider implements DiskIoProvider {
    /** The provider's name. */
    public static final String NAME = "nio";
    /** Setting: the number of worker threads. */
    public static final String THREADS = "nio.threads";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "java.nio FileChannel on a bounded pool of worker threads";
    }

    @Override
    public int preference() {
        return 100;
    }

    @Override
    public Availability probe() {
        return Availability.available("FileChannel (Java " + Runtime.version().feature() + ")");
    }

    @Override
    public List<ProviderVariant> variants() {
        // One worker is a configuration of its own: it serialises operations, so ordering and queue
        // cancellation are exercised differently than with a pool.
        return List.of(ProviderVariant.plain(), new ProviderVariant("one-thread", Map.of(THREADS, "1")));
    }

    @Override
    public DiskIo open(DiskIoConfig config) {
        return new NioDiskIo(config);
    }
}
