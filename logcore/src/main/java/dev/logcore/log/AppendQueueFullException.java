package dev.logcore.log;

/**
 * An append was refused at once because the partition's queue of pending appends is full (the
 * disk is not keeping up with the producers). Nothing was written; retry later or slow down.
 */
public class AppendQueueFullException extends LogException {
    private static final long serialVersionUID = 1L;

    public AppendQueueFullException(String partition, int capacity) {
        super("append refused: " + partition + " already has " + capacity
                + " appends pending (setting maxPendingAppends); the disk is not keeping up, retry later");
    }
}
