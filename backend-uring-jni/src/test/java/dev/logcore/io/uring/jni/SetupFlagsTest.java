package dev.logcore.io.uring.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.ProviderVariant;
import dev.logcore.io.uring.KernelRing;
import dev.logcore.io.uring.RingEngine;
import dev.logcore.io.uring.RingException;
import dev.logcore.io.uring.RingSetup;
import dev.logcore.io.uring.Sqe;
import dev.logcore.io.uring.UringSettings;
import org.junit.jupiter.api.Test;

/** The setup flags asked for are the ones the kernel accepted, ring by ring and engine by engine. */
class SetupFlagsTest {

    @Test
    void everyFlagSetTheEngineAsksForComesBackUnchanged() throws Exception {
        int[] sets = {
            0,
            Sqe.SETUP_CQSIZE,
            Sqe.SETUP_CQSIZE | Sqe.SETUP_SUBMIT_ALL | Sqe.SETUP_SINGLE_ISSUER | Sqe.SETUP_DEFER_TASKRUN,
            Sqe.SETUP_CQSIZE | Sqe.SETUP_SUBMIT_ALL | Sqe.SETUP_COOP_TASKRUN,
            Sqe.SETUP_CQSIZE | Sqe.SETUP_SQPOLL | Sqe.SETUP_SUBMIT_ALL | Sqe.SETUP_SINGLE_ISSUER,
            Sqe.SETUP_SQPOLL | Sqe.SETUP_SQ_AFF,
        };
        for (int flags : sets) {
            try (KernelRing r = NativeRing.open(new RingSetup(64, 256, flags, 10, 0))) {
                assertEquals(flags, r.info().setupFlags(), "asked " + Sqe.setupFlagNames(flags) + ", the kernel reports "
                        + Sqe.setupFlagNames(r.info().setupFlags()));
                if ((flags & Sqe.SETUP_CQSIZE) != 0) {
                    assertEquals(256, r.info().cqEntries(), "CQSIZE gave the CQ size asked for");
                }
                assertEquals(64, r.info().sqEntries());
            }
        }
    }

    @Test
    void aFlagTheKernelDoesNotKnowIsRefusedWithEinvalNotDropped() {
        int unknown = 1 << 30;
        RingException e = org.junit.jupiter.api.Assertions.assertThrows(RingException.class,
                () -> NativeRing.open(new RingSetup(8, 16, unknown, 0, 0)));
        assertEquals(22, e.errno(), e.getMessage());
    }

    @Test
    void eachVariantsEngineRunsWithTheFirstFlagSetThisKernelAccepts() throws Exception {
        for (ProviderVariant v : new UringJniProvider().variants()) {
            DiskIoConfig c = DiskIoConfig.of(v.settings());
            int expected = -1;
            for (RingSetup s : UringSettings.of(c).setupsToTry()) {
                try (KernelRing r = NativeRing.open(s)) {
                    expected = r.info().setupFlags();
                    break;
                } catch (RingException e) {
                    assertEquals(22, e.errno(), "only EINVAL moves on to the next flag set: " + e.getMessage());
                }
            }
            RingEngine engine = RingEngine.open(UringJniProvider.NAME, c, NativeRing::open);
            try {
                assertEquals(expected, engine.report().setupFlags(), v.name() + ": " + engine.report());
                assertEquals(UringSettings.of(c).sqpoll(), engine.report().sqpoll(), v.name());
            } finally {
                engine.close();
            }
        }
    }

    @Test
    void onThisKernelTheBestSetIsAccepted() throws Exception {
        // Linux 6.1+ knows every flag of the first set; this machine runs a newer one.
        RingEngine engine = RingEngine.open(UringJniProvider.NAME, DiskIoConfig.defaults(), NativeRing::open);
        try {
            int f = engine.report().setupFlags();
            assertTrue((f & Sqe.SETUP_DEFER_TASKRUN) != 0 && (f & Sqe.SETUP_SINGLE_ISSUER) != 0 && (f & Sqe.SETUP_SUBMIT_ALL) != 0,
                    Sqe.setupFlagNames(f));
        } finally {
            engine.close();
        }
    }
}
