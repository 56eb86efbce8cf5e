package dev.logcore.io.uring.jni;

import dev.logcore.io.DiskIoProvider;
import dev.logcore.io.uring.testkit.SigkillCrashTest;

/** A JVM writing through uring-jni is killed mid-write; every acknowledged record survives. */
class CrashTest extends SigkillCrashTest {
    @Override
    protected DiskIoProvider provider() {
        return new UringJniProvider();
    }
}
