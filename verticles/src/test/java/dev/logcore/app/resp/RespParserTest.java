package dev.logcore.app.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RespParserTest {
    private static final int MAX_BULK = 1 << 20;
    private static final int MAX_INLINE = 64 * 1024;

    /** Parses {@code input} delivered in the given chunk sizes, keeping unconsumed bytes as the server does. */
    private static List<String> parse(byte[] input, int[] chunks) {
        RespParser p = new RespParser(MAX_BULK, MAX_INLINE);
        List<String> out = new ArrayList<>();
        ByteBuf acc = Unpooled.buffer();
        int at = 0;
        int ci = 0;
        while (at < input.length) {
            int n = Math.min(chunks[ci++ % chunks.length], input.length - at);
            acc.writeBytes(input, at, n);
            at += n;
            while (true) {
                int r = p.parse(acc);
                if (r == RespParser.INCOMPLETE) {
                    break;
                }
                if (r == RespParser.ERROR) {
                    out.add("ERROR " + p.error());
                    return out;
                }
                if (r == RespParser.COMMAND) {
                    CommandArgs a = p.args();
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < a.count(); i++) {
                        sb.append('[').append(a.latin1(i)).append(']');
                    }
                    out.add(sb.toString());
                } else {
                    out.add("EMPTY");
                }
                p.consume(acc);
            }
            if (acc.readerIndex() > 0 && acc.readerIndex() > acc.capacity() / 2) {
                // as the connection does when it moves leftover bytes to a new buffer
                ByteBuf moved = Unpooled.buffer();
                moved.writeBytes(acc);
                acc = moved;
            }
        }
        return out;
    }

    private static byte[] stream(Random rnd, int commands) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int i = 0; i < commands; i++) {
            switch (rnd.nextInt(4)) {
                case 0 -> o.writeBytes(ascii("PING " + i + "\r\n"));
                case 1 -> o.writeBytes(ascii("\r\n"));
                default -> {
                    int argc = 1 + rnd.nextInt(4);
                    o.writeBytes(ascii("*" + argc + "\r\n"));
                    for (int k = 0; k < argc; k++) {
                        byte[] arg = new byte[rnd.nextInt(3) == 0 ? rnd.nextInt(5000) : rnd.nextInt(20)];
                        rnd.nextBytes(arg);
                        o.writeBytes(ascii("$" + arg.length + "\r\n"));
                        o.writeBytes(arg);
                        o.writeBytes(ascii("\r\n"));
                    }
                }
            }
        }
        return o.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void anySplitOfTheInputGivesTheSameCommands() {
        Random rnd = new Random(42);
        byte[] input = stream(rnd, 400);
        List<String> whole = parse(input, new int[]{input.length});
        assertEquals(400, whole.size());
        for (int[] chunks : new int[][]{{1}, {2}, {3, 7}, {13}, {100, 1, 999}, {4096}}) {
            assertEquals(whole, parse(input, chunks), "chunks " + java.util.Arrays.toString(chunks));
        }
        for (int round = 0; round < 20; round++) {
            int[] chunks = new int[16];
            for (int i = 0; i < chunks.length; i++) {
                chunks[i] = 1 + rnd.nextInt(600);
            }
            assertEquals(whole, parse(input, chunks));
        }
    }

    @Test
    void limitsAndErrors() {
        assertEquals(List.of("ERROR Protocol error: invalid bulk length"),
                parse(ascii("*1\r\n$" + (MAX_BULK + 1) + "\r\n"), new int[]{100}));
        assertEquals(List.of("[a]", "ERROR Protocol error: expected '$', got ':'"),
                parse(ascii("*1\r\n$1\r\na\r\n*1\r\n:1\r\n"), new int[]{1}));
        assertEquals(List.of("ERROR Protocol error: too big inline request"),
                parse(ascii("x".repeat(MAX_INLINE + 1)), new int[]{1000}));
        assertEquals(List.of("ERROR Protocol error: unbalanced quotes in request"),
                parse(ascii("SET \"a\r\n"), new int[]{3}));
        assertEquals(List.of("[SET][a b][c'd][\u0001]"), parse(ascii("SET \"a b\" 'c\\'d' \"\\x01\"\r\n"), new int[]{2}));
    }

    @Test
    void aLargeBulkArrivingSlowlyIsNotRescanned() {
        byte[] big = new byte[MAX_BULK];
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(ascii("*2\r\n$4\r\nECHO\r\n$" + big.length + "\r\n"));
        o.writeBytes(big);
        o.writeBytes(ascii("\r\n"));
        List<String> r = parse(o.toByteArray(), new int[]{1024});
        assertEquals(1, r.size());
    }
}
