package dev.logcore.log;

import java.util.regex.Pattern;

/** The names the log turns into directory and file names: kept to a safe alphabet. */
final class Names {
    private Names() {
    }

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    static String check(String kind, String name) {
        if (name == null || !SAFE.matcher(name).matches() || name.equals(".") || name.equals("..") || name.startsWith("__")) {
            throw new IllegalArgumentException(kind + " name '" + name
                    + "' is not allowed: use 1 to 200 of A-Z a-z 0-9 . _ -, not . or .., not starting with __");
        }
        return name;
    }
}
