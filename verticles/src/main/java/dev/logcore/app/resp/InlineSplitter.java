package dev.logcore.app.resp;

import io.netty.buffer.ByteBuf;

/**
 * Splits an inline command line into arguments exactly as Redis's {@code sdssplitargs} does:
 * blanks separate arguments; "double quotes" take the escapes \n \r \t \b \a \xHH and \\ followed
 * by any byte; 'single quotes' take \' only; a closing quote must be followed by a blank or the end
 * of the line; an unterminated quote is an error. Ported by hand because the replies to malformed
 * inline input must be Redis's, byte for byte.
 */
final class InlineSplitter {
    private InlineSplitter() {
    }

    /**
     * Splits {@code in[from, from+len)}, appending each argument's bytes to {@code out} and its
     * position to {@code args}.
     *
     * @return false if the quotes are unbalanced
     */
    static boolean split(ByteBuf in, int from, int len, ByteBuf out, CommandArgs args) {
        int end = from + len;
        int p = from;
        while (true) {
            while (p < end && isSpace(in.getByte(p))) {
                p++;
            }
            if (p >= end) {
                return true;
            }
            boolean inq = false;
            boolean insq = false;
            boolean done = false;
            int start = out.writerIndex();
            while (!done) {
                int c = at(in, p, end);
                if (inq) {
                    int next = at(in, p + 1, end);
                    if (c == '\\' && next == 'x' && isHex(at(in, p + 2, end)) && isHex(at(in, p + 3, end))) {
                        out.writeByte(hex(at(in, p + 2, end)) * 16 + hex(at(in, p + 3, end)));
                        p += 3;
                    } else if (c == '\\' && next != 0) {
                        p++;
                        out.writeByte(switch (next) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> next;
                        });
                    } else if (c == '"') {
                        if (next != 0 && !isSpace((byte) next)) {
                            return false;
                        }
                        done = true;
                    } else if (c == 0) {
                        return false;
                    } else {
                        out.writeByte(c);
                    }
                } else if (insq) {
                    int next = at(in, p + 1, end);
                    if (c == '\\' && next == '\'') {
                        p++;
                        out.writeByte('\'');
                    } else if (c == '\'') {
                        if (next != 0 && !isSpace((byte) next)) {
                            return false;
                        }
                        done = true;
                    } else if (c == 0) {
                        return false;
                    } else {
                        out.writeByte(c);
                    }
                } else {
                    switch (c) {
                        case ' ', '\n', '\r', '\t', 0 -> done = true;
                        case '"' -> inq = true;
                        case '\'' -> insq = true;
                        default -> out.writeByte(c);
                    }
                }
                if (p < end) {
                    p++;
                }
            }
            args.add(start, out.writerIndex() - start);
        }
    }

    /** The byte at {@code i} as C sees it in a NUL-terminated string: 0 past the end. */
    private static int at(ByteBuf in, int i, int end) {
        return i < end ? in.getByte(i) & 0xff : 0;
    }

    /** C's isspace in the C locale. */
    static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == 0x0b || b == '\f' || b == '\r';
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hex(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c - 'A' + 10;
    }
}
