package dev.logcore.log;

import java.util.Arrays;

/**
 * A segment's sparse index in memory: (offset relative to the segment's base, position) pairs, both
 * increasing. One writer appends; any number of readers look up concurrently: an entry is written
 * before the size that covers it is published (volatile), and a grown array before the size grows
 * past the old one.
 */
final class OffsetIndex {
    private volatile long[] entries;
    private volatile int size;

    OffsetIndex() {
        entries = new long[64];
    }

    OffsetIndex(int[] relativeOffsets, int[] positions) {
        int n = positions.length;
        long[] e = new long[Math.max(16, n)];
        for (int i = 0; i < n; i++) {
            e[i] = pack(relativeOffsets[i], positions[i]);
        }
        entries = e;
        size = n;
    }

    private static long pack(int rel, int pos) {
        return ((long) rel << 32) | (pos & 0xFFFF_FFFFL);
    }

    /** Writer only: adds an entry above every existing one. */
    void append(int relativeOffset, int position) {
        int n = size;
        long[] e = entries;
        if (n > 0 && (relOf(e[n - 1]) >= relativeOffset || posOf(e[n - 1]) >= position)) {
            throw new IllegalStateException("index entries must increase: " + relativeOffset + " -> " + position);
        }
        if (n == e.length) {
            e = Arrays.copyOf(e, n * 2);
            entries = e;
        }
        e[n] = pack(relativeOffset, position);
        size = n + 1;
    }

    private static int relOf(long v) {
        return (int) (v >>> 32);
    }

    private static int posOf(long v) {
        return (int) v;
    }

    /**
     * The position of the last indexed batch whose relative offset is at most {@code relativeOffset}
     * (0, the segment's first batch, when none is).
     */
    int floorPosition(long relativeOffset) {
        int n = size;
        long[] e = entries;
        int lo = 0;
        int hi = n - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (relOf(e[mid]) <= relativeOffset) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found < 0 ? 0 : posOf(e[found]);
    }

    int size() {
        return size;
    }

    /** The entries as two arrays, for writing the index file. */
    int[][] toArrays() {
        int n = size;
        long[] e = entries;
        int[] rel = new int[n];
        int[] pos = new int[n];
        for (int i = 0; i < n; i++) {
            rel[i] = relOf(e[i]);
            pos[i] = posOf(e[i]);
        }
        return new int[][] {rel, pos};
    }
}
