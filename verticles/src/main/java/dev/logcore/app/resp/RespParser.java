package dev.logcore.app.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ByteProcessor;

/**
 * Parses client commands the way Redis 7.0's {@code processMultibulkBuffer} and
 * {@code processInlineBuffer} do, so that every reply to odd input is Redis's: a command starting
 * with '*' is a RESP array of bulk strings, anything else an inline line. Quirks kept on purpose,
 * because Redis has them: the two bytes after a bulk string's data are skipped without looking at
 * them, a header needs one byte after its '\r' whatever it is, a search for a line end stops at a
 * NUL byte (Redis uses strchr), and a count of zero or less is an empty command.
 *
 * <p>Resumable: when a command is incomplete the parser keeps what it learned (positions relative
 * to the command's first byte) and continues when more bytes arrive, so a large command arriving in
 * many reads is scanned once. The caller keeps the unconsumed bytes, starting at the command, in one
 * buffer ({@code readerIndex} = the command's first byte), and may move them to another buffer
 * between calls.
 */
public final class RespParser {
    /** A command is ready in {@link #args()}; call {@link #consume(ByteBuf)} after running it. */
    public static final int COMMAND = 0;
    /** An empty command (blank line, {@code *0}) was read; call {@link #consume(ByteBuf)}. */
    public static final int EMPTY = 1;
    /** More bytes are needed. */
    public static final int INCOMPLETE = 2;
    /**
     * The input cannot be parsed; {@link #error()} is the reply Redis gives, after which the
     * connection must be closed (Redis's protocol error).
     */
    public static final int ERROR = 3;

    private static final ByteProcessor FIND_CR_OR_NUL = b -> b != '\r' && b != 0;
    private static final ByteProcessor FIND_LF_OR_NUL = b -> b != '\n' && b != 0;

    private final int maxBulkLength;
    private final int maxInlineLength;
    private final CommandArgs args = new CommandArgs();
    private final ByteBuf inlineArgs = Unpooled.buffer(256);
    private final long[] number = new long[1];

    /** Bytes of the current command parsed so far, from its first byte. */
    private int pos;
    /** Arguments still to read; 0 before the header. */
    private int remaining;
    private boolean headerRead;
    /** Length of the bulk string whose header was read, or -1. */
    private long bulkLength = -1;
    private String error;

    /**
     * @param maxBulkLength longest bulk string accepted (Redis's proto-max-bulk-len)
     * @param maxInlineLength longest inline line and length header (Redis's PROTO_INLINE_MAX_SIZE)
     */
    public RespParser(int maxBulkLength, int maxInlineLength) {
        this.maxBulkLength = maxBulkLength;
        this.maxInlineLength = maxInlineLength;
    }

    /** The command after {@link #COMMAND}. */
    public CommandArgs args() {
        return args;
    }

    /** The error text after {@link #ERROR}, without "-ERR " and CRLF. */
    public String error() {
        return error;
    }

    /** Whether part of a command has been read (a header or some arguments). */
    public boolean inCommand() {
        return headerRead || pos > 0;
    }

    /**
     * Parses the command starting at {@code buf.readerIndex()}.
     *
     * @return {@link #COMMAND}, {@link #EMPTY}, {@link #INCOMPLETE} or {@link #ERROR}
     */
    public int parse(ByteBuf buf) {
        int start = buf.readerIndex();
        int end = buf.writerIndex();
        if (!headerRead) {
            if (start == end) {
                return INCOMPLETE;
            }
            if (buf.getByte(start) != '*') {
                return parseInline(buf, start, end);
            }
            int cr = find(buf, start, end, FIND_CR_OR_NUL, '\r');
            if (cr < 0) {
                return end - start > maxInlineLength ? fail("Protocol error: too big mbulk count string") : INCOMPLETE;
            }
            if (cr - start > end - start - 2) {
                return INCOMPLETE;
            }
            if (!RedisNumbers.string2ll(buf, start + 1, cr - start - 1, number) || number[0] > Integer.MAX_VALUE) {
                return fail("Protocol error: invalid multibulk length");
            }
            pos = cr - start + 2;
            if (number[0] <= 0) {
                return EMPTY;
            }
            headerRead = true;
            remaining = (int) number[0];
            args.reset(buf, start);
        } else {
            args.rebase(buf, start);
        }
        while (remaining > 0) {
            if (bulkLength < 0) {
                int at = start + pos;
                int cr = find(buf, at, end, FIND_CR_OR_NUL, '\r');
                if (cr < 0) {
                    return end - at > maxInlineLength ? fail("Protocol error: too big bulk count string") : INCOMPLETE;
                }
                if (cr - at > end - at - 2) {
                    return INCOMPLETE;
                }
                byte first = buf.getByte(at);
                if (first != '$') {
                    char shown = first == '\r' || first == '\n' ? ' ' : (char) (first & 0xff);
                    return fail("Protocol error: expected '$', got '" + shown + "'");
                }
                if (!RedisNumbers.string2ll(buf, at + 1, cr - at - 1, number) || number[0] < 0 || number[0] > maxBulkLength) {
                    return fail("Protocol error: invalid bulk length");
                }
                bulkLength = number[0];
                pos = cr - start + 2;
            }
            if (end - (start + pos) < bulkLength + 2) {
                return INCOMPLETE;
            }
            args.add(pos, (int) bulkLength);
            pos += (int) bulkLength + 2;
            bulkLength = -1;
            remaining--;
        }
        return COMMAND;
    }

    private int parseInline(ByteBuf buf, int start, int end) {
        int lf = find(buf, start, end, FIND_LF_OR_NUL, '\n');
        if (lf < 0) {
            return end - start > maxInlineLength ? fail("Protocol error: too big inline request") : INCOMPLETE;
        }
        if (lf - start > maxInlineLength) {
            return fail("Protocol error: too big inline request");
        }
        int lineEnd = lf > start && buf.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        inlineArgs.clear();
        args.reset(inlineArgs, 0);
        if (!InlineSplitter.split(buf, start, lineEnd - start, inlineArgs, args)) {
            return fail("Protocol error: unbalanced quotes in request");
        }
        pos = lf - start + 1;
        return args.count() == 0 ? EMPTY : COMMAND;
    }

    /**
     * Drops the command just parsed ({@link #COMMAND} or {@link #EMPTY}) from {@code buf} and gets
     * ready for the next.
     */
    public void consume(ByteBuf buf) {
        buf.skipBytes(pos);
        pos = 0;
        remaining = 0;
        headerRead = false;
        bulkLength = -1;
        if (inlineArgs.capacity() > 4096) {
            inlineArgs.capacity(256);
        }
    }

    private int fail(String message) {
        error = message;
        return ERROR;
    }

    /** Index of {@code target} in {@code [from, end)}, or -1 if absent or a NUL byte comes first. */
    private static int find(ByteBuf buf, int from, int end, ByteProcessor processor, char target) {
        if (from >= end) {
            return -1;
        }
        int i = buf.forEachByte(from, end - from, processor);
        return i >= 0 && buf.getByte(i) == target ? i : -1;
    }
}
