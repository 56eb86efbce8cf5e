package dev.logcore.app.resp;

/**
 * Redis's glob matching ({@code stringmatchlen} in Redis's util.c, case-sensitive), as PSUBSCRIBE
 * patterns use it: {@code *}, {@code ?}, {@code [abc]}, {@code [^abc]}, ranges {@code [a-z]} (the ends
 * may come in either order), and backslash escapes, inside and outside brackets. Bytes compare as
 * signed chars, as they do in Redis on x86 and ARM Linux builds, so ranges over bytes above 0x7f
 * behave as there. An unclosed bracket runs to the end of the pattern. A pattern nesting more than
 * 1000 stars matches nothing, and an empty string matches no pattern, both as in Redis 7.0.
 *
 * <p>Ported by hand (no Java library implements Redis's exact dialect); the golden tests check it
 * against a real redis-server.
 */
public final class GlobMatcher {
    private static final int MAX_NESTING = 1000;

    private GlobMatcher() {
    }

    /** Whether {@code string[0, stringLen)} matches {@code pattern}. */
    public static boolean matches(byte[] pattern, byte[] string, int stringLen) {
        return match(pattern, 0, pattern.length, string, 0, stringLen, new boolean[1], 0);
    }

    private static boolean match(byte[] p, int pi, int plen, byte[] s, int si, int slen,
                                 boolean[] skipLongerMatches, int nesting) {
        if (nesting > MAX_NESTING) {
            return false;
        }
        while (plen > 0 && slen > 0) {
            switch (p[pi]) {
                case '*' -> {
                    while (plen > 1 && p[pi + 1] == '*') {
                        pi++;
                        plen--;
                    }
                    if (plen == 1) {
                        return true;
                    }
                    while (slen > 0) {
                        if (match(p, pi + 1, plen - 1, s, si, slen, skipLongerMatches, nesting + 1)) {
                            return true;
                        }
                        if (skipLongerMatches[0]) {
                            return false;
                        }
                        si++;
                        slen--;
                    }
                    // No match for the rest of the pattern anywhere in the rest of the string: an
                    // earlier star cannot help by matching more, so every caller can stop.
                    skipLongerMatches[0] = true;
                    return false;
                }
                case '?' -> {
                    si++;
                    slen--;
                }
                case '[' -> {
                    pi++;
                    plen--;
                    boolean not = plen > 0 && p[pi] == '^';
                    if (not) {
                        pi++;
                        plen--;
                    }
                    boolean match = false;
                    while (true) {
                        if (plen >= 2 && p[pi] == '\\') {
                            pi++;
                            plen--;
                            if (p[pi] == s[si]) {
                                match = true;
                            }
                        } else if (plen > 0 && p[pi] == ']') {
                            break;
                        } else if (plen == 0) {
                            pi--;
                            plen++;
                            break;
                        } else if (plen >= 3 && p[pi + 1] == '-') {
                            int start = p[pi];
                            int end = p[pi + 2];
                            int c = s[si];
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            pi += 2;
                            plen -= 2;
                            if (c >= start && c <= end) {
                                match = true;
                            }
                        } else if (p[pi] == s[si]) {
                            match = true;
                        }
                        pi++;
                        plen--;
                    }
                    if (not) {
                        match = !match;
                    }
                    if (!match) {
                        return false;
                    }
                    si++;
                    slen--;
                }
                case '\\' -> {
                    if (plen >= 2) {
                        pi++;
                        plen--;
                    }
                    if (p[pi] != s[si]) {
                        return false;
                    }
                    si++;
                    slen--;
                }
                default -> {
                    if (p[pi] != s[si]) {
                        return false;
                    }
                    si++;
                    slen--;
                }
            }
            pi++;
            plen--;
            if (slen == 0) {
                while (plen > 0 && p[pi] == '*') {
                    pi++;
                    plen--;
                }
                break;
            }
        }
        return plen == 0 && slen == 0;
    }
}
