package dev.logcore.log;

import dev.logcore.io.DiskIo;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the log tests that each run in a fresh directory on the most preferred available
 * provider's engine: {@link #dir} and {@link #io} are new for every test and gone after it.
 */
abstract class BestEngineTest {
    protected Path dir;
    protected DiskIo io;

    @BeforeEach
    void openDirAndEngine() {
        dir = TestDirs.fresh(getClass().getSimpleName());
        io = TestProviders.openBest();
    }

    @AfterEach
    void closeEngineAndDeleteDir() {
        io.close();
        TestDirs.delete(dir);
    }
}
