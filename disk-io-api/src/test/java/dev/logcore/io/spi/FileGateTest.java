package dev.logcore.io.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FileGateTest {

    @Test
    void closeRunsAtOnceWhenIdleAndRefusesLaterEntries() {
        FileGate g = new FileGate();
        AtomicInteger closed = new AtomicInteger();
        assertTrue(g.close(closed::incrementAndGet));
        assertEquals(1, closed.get());
        assertFalse(g.enter());
        assertFalse(g.close(closed::incrementAndGet));
        assertEquals(1, closed.get());
    }

    @Test
    void closeWaitsForTheLastOperation() {
        FileGate g = new FileGate();
        AtomicInteger closed = new AtomicInteger();
        assertTrue(g.enter());
        assertTrue(g.enter());
        g.close(closed::incrementAndGet);
        assertEquals(0, closed.get());
        g.exit();
        assertEquals(0, closed.get());
        g.exit();
        assertEquals(1, closed.get());
        assertEquals(0, g.inFlight());
    }

    @Test
    void underRacesTheCloseRunsExactlyOnceAndAfterEveryAdmittedOperation() throws Exception {
        for (int round = 0; round < 200; round++) {
            FileGate g = new FileGate();
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger closes = new AtomicInteger();
            AtomicInteger violations = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            Thread[] ts = new Thread[4];
            for (int t = 0; t < ts.length; t++) {
                ts[t] = Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 1000; i++) {
                        if (g.enter()) {
                            inside.incrementAndGet();
                            if (closes.get() != 0) {
                                violations.incrementAndGet();
                            }
                            inside.decrementAndGet();
                            g.exit();
                        }
                    }
                });
            }
            go.countDown();
            g.close(() -> {
                if (inside.get() != 0) {
                    violations.incrementAndGet();
                }
                closes.incrementAndGet();
            });
            for (Thread t : ts) {
                t.join();
            }
            assertEquals(1, closes.get());
            assertEquals(0, violations.get());
        }
    }
}
