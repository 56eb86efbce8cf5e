package dev.logcore.app.resp;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** Writes RESP2 replies into a buffer, the way Redis formats them. */
public final class Resp {
    public static final byte[] OK = ascii("+OK\r\n");
    public static final byte[] PONG = ascii("+PONG\r\n");
    public static final byte[] NULL_BULK = ascii("$-1\r\n");
    public static final byte[] EMPTY_ARRAY = ascii("*0\r\n");
    private static final short CRLF = ('\r' << 8) | '\n';

    private Resp() {
    }

    /** The bytes of an ASCII (or Latin-1) string. */
    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static void integer(ByteBuf out, long value) {
        out.writeByte(':');
        decimal(out, value);
        out.writeShort(CRLF);
    }

    public static void arrayHeader(ByteBuf out, int count) {
        out.writeByte('*');
        decimal(out, count);
        out.writeShort(CRLF);
    }

    public static void bulk(ByteBuf out, ByteBuf src, int index, int length) {
        out.writeByte('$');
        decimal(out, length);
        out.writeShort(CRLF);
        out.writeBytes(src, index, length);
        out.writeShort(CRLF);
    }

    public static void bulk(ByteBuf out, byte[] value) {
        out.writeByte('$');
        decimal(out, value.length);
        out.writeShort(CRLF);
        out.writeBytes(value);
        out.writeShort(CRLF);
    }

    /** The bytes of a bulk string reply, for replies built once. */
    public static byte[] bulkBytes(byte[] value) {
        byte[] header = ascii("$" + value.length + "\r\n");
        byte[] r = new byte[header.length + value.length + 2];
        System.arraycopy(header, 0, r, 0, header.length);
        System.arraycopy(value, 0, r, header.length, value.length);
        r[r.length - 2] = '\r';
        r[r.length - 1] = '\n';
        return r;
    }

    /**
     * An error reply as Redis's addReplyError writes it: "-ERR " unless the text starts with '-'
     * (then it carries its own code, like "-NOPROTO"), CR and LF inside the text turned into spaces.
     * The text's chars are bytes (ISO-8859-1).
     */
    public static void error(ByteBuf out, String text) {
        if (text.isEmpty() || text.charAt(0) != '-') {
            out.writeBytes(ERR_PREFIX);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.writeByte(c == '\r' || c == '\n' ? ' ' : c);
        }
        out.writeShort(CRLF);
    }

    private static final byte[] ERR_PREFIX = ascii("-ERR ");

    /** Writes {@code value} in decimal ASCII without allocating. */
    public static void decimal(ByteBuf out, long value) {
        if (value >= 0 && value < 10) {
            out.writeByte((int) ('0' + value));
            return;
        }
        if (value == Long.MIN_VALUE) {
            out.writeBytes(ascii(Long.toString(value)));
            return;
        }
        if (value < 0) {
            out.writeByte('-');
            value = -value;
        }
        int digits = 1;
        for (long v = value / 10; v != 0; v /= 10) {
            digits++;
        }
        out.ensureWritable(digits);
        int at = out.writerIndex() + digits;
        for (long v = value; v != 0; v /= 10) {
            out.setByte(--at, (int) ('0' + v % 10));
        }
        out.writerIndex(out.writerIndex() + digits);
    }
}
