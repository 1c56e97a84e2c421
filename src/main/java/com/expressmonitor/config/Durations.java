package com.expressmonitor.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes the duration form of the configuration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 12h}, {@code 1d}. */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

    private Durations() {}

    /** Milliseconds of {@code text}; a bare {@code 0} is accepted too. Fails naming {@code key}. */
    public static long parse(String key, String text) {
        String t = text == null ? "" : text.trim();
        if (t.equals("0")) {
            return 0;
        }
        Matcher m = FORM.matcher(t);
        if (!m.matches()) {
            throw new ConfigException(key, "'" + text + "' is not a duration; write it like 500ms, 30s, 5m, 12h or 1d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1_000L;
            case "m" -> n * 60_000L;
            case "h" -> n * 3_600_000L;
            default -> n * 86_400_000L;
        };
    }

    /** The shortest exact text for {@code millis}, e.g. {@code 300000} as {@code 5m}. */
    public static String format(long millis) {
        if (millis == 0) {
            return "0";
        }
        if (millis % 86_400_000L == 0) {
            return millis / 86_400_000L + "d";
        }
        if (millis % 3_600_000L == 0) {
            return millis / 3_600_000L + "h";
        }
        if (millis % 60_000L == 0) {
            return millis / 60_000L + "m";
        }
        if (millis % 1_000L == 0) {
            return millis / 1_000L + "s";
        }
        return millis + "ms";
    }
}
