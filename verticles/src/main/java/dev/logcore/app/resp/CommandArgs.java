package dev.logcore.app.resp;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The arguments of one parsed command, as positions in a buffer the parser owns: no copy is made.
 * Valid only until the parser moves on to the next command.
 */
public final class CommandArgs {
    private ByteBuf buf;
    private int base;
    private int[] offsets = new int[8];
    private int[] lengths = new int[8];
    private int count;

    void reset(ByteBuf buf, int base) {
        this.buf = buf;
        this.base = base;
        this.count = 0;
    }

    void rebase(ByteBuf buf, int base) {
        this.buf = buf;
        this.base = base;
    }

    void add(int offset, int length) {
        if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
        }
        offsets[count] = offset;
        lengths[count] = length;
        count++;
    }

    /** The number of arguments, the command name included. */
    public int count() {
        return count;
    }

    /** The buffer holding the arguments. */
    public ByteBuf buffer() {
        return buf;
    }

    /** Absolute index in {@link #buffer()} of argument {@code i}. */
    public int offset(int i) {
        return base + offsets[i];
    }

    public int length(int i) {
        return lengths[i];
    }

    public byte byteAt(int i, int index) {
        return buf.getByte(base + offsets[i] + index);
    }

    /** A copy of argument {@code i}. */
    public byte[] bytes(int i) {
        byte[] b = new byte[lengths[i]];
        buf.getBytes(base + offsets[i], b);
        return b;
    }

    /** Argument {@code i} as ISO-8859-1 text (one char per byte), for messages. */
    public String latin1(int i) {
        return buf.toString(base + offsets[i], lengths[i], StandardCharsets.ISO_8859_1);
    }

    /** Whether argument {@code i} equals the ASCII word {@code upper} ignoring ASCII case. */
    public boolean is(int i, String upper) {
        int len = lengths[i];
        if (len != upper.length()) {
            return false;
        }
        int at = base + offsets[i];
        for (int k = 0; k < len; k++) {
            int b = buf.getByte(at + k);
            if (b >= 'a' && b <= 'z') {
                b -= 32;
            }
            if (b != upper.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
