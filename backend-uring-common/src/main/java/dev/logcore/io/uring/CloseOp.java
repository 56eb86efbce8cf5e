package dev.logcore.io.uring;

import dev.logcore.io.OpKind;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Closing a file once its gate drained: FILES_UPDATE clears its fixed slot (if it has one), then
 * CLOSE (or close(2) on the fallback thread) closes the descriptor.
 */
final class CloseOp extends RingOp<Void> {
    private static final ValueLayout.OfInt S32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private boolean unregistered;
    private MemorySegment scratch;

    CloseOp(RingFile file) {
        super(file.engine, OpKind.CLOSE, file);
        this.unregistered = file.slot < 0;
    }

    @Override
    void exitGate() {
        // a close is not one of the file's operations: it runs after they all left
    }

    @Override
    boolean blocking() {
        return unregistered && !engine.loop.hasClose;
    }

    @Override
    void prepare(RingLoop ring) {
        if (!unregistered) {
            scratch = ring.scratch().take(4);
            scratch.set(S32, 0, -1);
            ring.put(this, 0, Sqe.OP_FILES_UPDATE, 0, -1, file.slot, scratch.address(), 1, 0, 0);
        } else if (!file.claimFd()) {
            finished(); // the engine closed the descriptor already
        } else {
            ring.put(this, 0, Sqe.OP_CLOSE, 0, file.fd, 0, 0, 0, 0, 0);
        }
    }

    @Override
    int complete(RingLoop ring, int part, int res) {
        if (!unregistered) {
            ring.scratch().give(scratch);
            scratch = null;
            unregistered = true;
            // A failed update leaves the slot holding a reference; the ring's teardown drops it.
            if (res >= 0) {
                ring.giveFileSlot(file.slot);
            }
            return AGAIN;
        }
        file.engine.fileClosed(file);
        return res < 0 ? fail(res) : succeed(null);
    }

    @Override
    int runBlocking() {
        if (!file.claimFd()) {
            return finished();
        }
        int r = engine.kernel().closeFile(file.fd);
        engine.stats.systemCall(1);
        file.engine.fileClosed(file);
        return r < 0 ? fail(r) : succeed(null);
    }

    private int finished() {
        file.engine.fileClosed(file);
        return succeed(null);
    }

    @Override
    void freeScratch(Scratch s) {
        s.give(scratch);
        scratch = null;
    }
}
