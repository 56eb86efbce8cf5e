package dev.logcore.io.uring.jni;

import dev.logcore.io.Availability;

/** Prints the provider's probe answer (run in a child JVM by AvailabilityTest). */
public final class ProbeMain {
    private ProbeMain() {
    }

    public static void main(String[] args) {
        Availability a = new UringJniProvider().probe();
        System.out.println("PROBE " + (a.available() ? "available" : "unavailable") + ": " + a.reason());
        try {
            new UringJniProvider().open(dev.logcore.io.DiskIoConfig.defaults()).close();
            System.out.println("OPEN ok");
        } catch (dev.logcore.io.DiskIoException e) {
            System.out.println("OPEN failed: " + e.getMessage());
        }
    }
}
