package dev.logcore.app.pubsub;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * A channel name or pattern: bytes compared by content, the key of the subscription registry.
 * {@link Probe} looks up a name straight from a connection's input buffer, so PUBLISH does not copy
 * the channel name into a new object for every message; the two classes hash and compare alike.
 */
public final class ChannelName {
    private final byte[] bytes;
    private final int hash;

    public ChannelName(byte[] bytes) {
        this.bytes = bytes;
        this.hash = hash(bytes);
    }

    /** The name's bytes; not to be changed. */
    public byte[] bytes() {
        return bytes;
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof ChannelName n) {
            return hash == n.hash && Arrays.equals(bytes, n.bytes);
        }
        return o instanceof Probe p && p.equals(this);
    }

    @Override
    public String toString() {
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    static int hash(byte[] b) {
        int h = 1;
        for (byte x : b) {
            h = 31 * h + x;
        }
        return h;
    }

    /**
     * A reusable view of a name inside a buffer, for lookups only (never stored in a map). One per
     * event loop; valid until its next {@link #set}.
     */
    static final class Probe {
        private ByteBuf buf;
        private int index;
        private int length;
        private int hash;

        Probe set(ByteBuf buf, int index, int length) {
            this.buf = buf;
            this.index = index;
            this.length = length;
            int h = 1;
            for (int i = index, end = index + length; i < end; i++) {
                h = 31 * h + buf.getByte(i);
            }
            this.hash = h;
            return this;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof ChannelName n) || n.hash != hash || n.bytes.length != length) {
                return false;
            }
            byte[] b = n.bytes;
            for (int i = 0; i < length; i++) {
                if (buf.getByte(index + i) != b[i]) {
                    return false;
                }
            }
            return true;
        }
    }
}
