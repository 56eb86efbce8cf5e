package dev.logcore.app.resp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Cases from Redis's own glob semantics; the golden test checks many more against redis-server. */
class GlobMatcherTest {
    private static boolean m(String pattern, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return GlobMatcher.matches(pattern.getBytes(StandardCharsets.ISO_8859_1), b, b.length);
    }

    @Test
    void starsAndQuestionMarks() {
        assertEquals(true, m("*", "anything"));
        assertEquals(false, m("*", ""));
        assertEquals(true, m("h?llo", "hello"));
        assertEquals(false, m("h?llo", "hllo"));
        assertEquals(true, m("h*llo", "hllo"));
        assertEquals(true, m("h*llo", "heeeello"));
        assertEquals(true, m("a*b*c", "aXbYc"));
        assertEquals(false, m("a*b*c", "aXbY"));
        assertEquals(true, m("news.*", "news.sports"));
        assertEquals(false, m("news.*", "news"));
        assertEquals(true, m("a**", "a"));
    }

    @Test
    void bracketsRangesAndNegation() {
        assertEquals(true, m("h[ae]llo", "hallo"));
        assertEquals(false, m("h[ae]llo", "hillo"));
        assertEquals(true, m("h[^e]llo", "hallo"));
        assertEquals(false, m("h[^e]llo", "hello"));
        assertEquals(true, m("h[a-b]llo", "hbllo"));
        assertEquals(true, m("[z-a]", "m"), "reversed range ends are swapped");
        assertEquals(true, m("[a", "a"), "an unclosed bracket runs to the end");
        assertEquals(true, m("[^", "x"));
        assertEquals(false, m("[a-]", "-"), "[a-] is the range a..] (swapped), not a and -");
        assertEquals(true, m("[a-]", "^"));
        assertEquals(true, m("[\\]]", "]"));
    }

    @Test
    void escapes() {
        assertEquals(true, m("\\*", "*"));
        assertEquals(false, m("\\*", "a"));
        assertEquals(true, m("a\\", "a\\"), "a trailing backslash is literal");
        assertEquals(true, m("[\\", "\\"));
    }

    @Test
    void nestingLimitAsRedis70() {
        assertEquals(true, m("*a".repeat(1000), "a".repeat(1000)));
        assertEquals(false, m("*a".repeat(1001), "a".repeat(1001)));
    }

    @Test
    void bytesCompareAsSignedChars() {
        byte[] high = {(byte) 0xe9};
        // In C on x86 char is signed: [a-z] is 97..122 and 0xe9 is -23, outside.
        assertEquals(false, GlobMatcher.matches("[a-z]".getBytes(StandardCharsets.ISO_8859_1), high, 1));
        assertEquals(true, GlobMatcher.matches(new byte[]{'[', (byte) 0x80, '-', 'a', ']'}, high, 1));
    }
}
