package dev.logcore.app.resp;

import io.netty.buffer.ByteBuf;

/**
 * Redis's {@code string2ll}: the strict integer syntax Redis accepts in protocol headers and
 * arguments. No sign but a leading '-', no leading zeros (except "0" itself), no spaces, no
 * overflow. Written here rather than with {@link Long#parseLong} because that accepts "+1" and "01",
 * which Redis rejects, and the replies must match Redis's.
 */
public final class RedisNumbers {
    private RedisNumbers() {
    }

    /**
     * Parses {@code buf[from, from+len)}; on success stores the value in {@code out[0]}.
     *
     * @return whether the bytes are an integer by Redis's rules
     */
    public static boolean string2ll(ByteBuf buf, int from, int len, long[] out) {
        if (len <= 0 || len > 20) {
            return false;
        }
        if (len == 1 && buf.getByte(from) == '0') {
            out[0] = 0;
            return true;
        }
        int i = from;
        int end = from + len;
        boolean negative = false;
        if (buf.getByte(i) == '-') {
            negative = true;
            i++;
            if (i == end) {
                return false;
            }
        }
        byte first = buf.getByte(i);
        if (first < '1' || first > '9') {
            return false;
        }
        // Accumulate as a negative number so Long.MIN_VALUE fits.
        long v = -(first - '0');
        i++;
        for (; i < end; i++) {
            byte b = buf.getByte(i);
            if (b < '0' || b > '9') {
                return false;
            }
            if (v < Long.MIN_VALUE / 10) {
                return false;
            }
            v *= 10;
            int d = b - '0';
            if (v < Long.MIN_VALUE + d) {
                return false;
            }
            v -= d;
        }
        if (negative) {
            out[0] = v;
        } else {
            if (v == Long.MIN_VALUE) {
                return false;
            }
            out[0] = -v;
        }
        return true;
    }
}
