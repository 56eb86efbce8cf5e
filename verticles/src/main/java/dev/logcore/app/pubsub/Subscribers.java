package dev.logcore.app.pubsub;

import java.util.Arrays;

/**
 * The subscribers of one channel or pattern that live on one event loop. Only that loop changes and
 * walks the list (so it needs no lock); other loops read only {@link #count()}, to answer PUBLISH
 * with the number of receivers and to know whether to send the loop a message at all.
 */
final class Subscribers {
    private static final RespConnection[] NONE = new RespConnection[0];

    private RespConnection[] connections = NONE;
    private int size;
    private volatile int count;

    /** The connections; read entries {@code [0, size())} on the owning loop only. */
    RespConnection[] connections() {
        return connections;
    }

    int size() {
        return size;
    }

    /** The number of subscribers, readable from any thread. */
    int count() {
        return count;
    }

    void add(RespConnection c) {
        if (size == connections.length) {
            connections = Arrays.copyOf(connections, Math.max(4, size * 2));
        }
        connections[size++] = c;
        count = size;
    }

    /** Removes {@code c}, keeping the others' order (delivery order is subscription order, as in Redis). */
    boolean remove(RespConnection c) {
        for (int i = 0; i < size; i++) {
            if (connections[i] == c) {
                System.arraycopy(connections, i + 1, connections, i, size - i - 1);
                connections[--size] = null;
                count = size;
                if (size == 0 && connections.length > 64) {
                    connections = NONE;
                }
                return true;
            }
        }
        return false;
    }
}
