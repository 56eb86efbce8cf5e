package dev.logcore.io.uring.jni;

import dev.logcore.io.DiskIoProvider;
import dev.logcore.io.uring.testkit.RingEngineContractTest;

/** The shared engine's contract on the JNI ring (liburing), on the real kernel. */
class UringJniEngineTest extends RingEngineContractTest {
    @Override
    protected DiskIoProvider provider() {
        return new UringJniProvider();
    }
}
