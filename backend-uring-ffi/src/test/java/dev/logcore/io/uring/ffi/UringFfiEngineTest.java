package dev.logcore.io.uring.ffi;

import dev.logcore.io.DiskIoProvider;
import dev.logcore.io.uring.testkit.RingEngineContractTest;

/** The shared engine's contract on the FFI ring (jnr-ffi), on the real kernel. */
class UringFfiEngineTest extends RingEngineContractTest {
    @Override
    protected DiskIoProvider provider() {
        return new UringFfiProvider();
    }
}
