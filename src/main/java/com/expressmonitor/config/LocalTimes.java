package com.expressmonitor.config;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Window alignment and ISO-8601 formatting in the configured zone's (fixed) offset. */
public final class LocalTimes {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

    private LocalTimes() {}

    /** ISO-8601 with the offset, e.g. {@code 2026-11-11T09:30:00+08:00}; milliseconds only when not zero. */
    public static String format(long epochMillis, ZoneOffset offset) {
        OffsetDateTime t = OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), offset);
        return (epochMillis % 1000 == 0 ? SECONDS : MILLIS).format(t);
    }

    /** Start of the window containing {@code t}, windows of {@code size} aligned to local midnight. */
    public static long windowStart(long t, long size, int offsetSeconds) {
        return t - Math.floorMod(t + offsetSeconds * 1000L, size);
    }

    /** End (exclusive) of the window containing {@code t}. */
    public static long windowEnd(long t, long size, int offsetSeconds) {
        return windowStart(t, size, offsetSeconds) + size;
    }

    /** The local date of an instant. */
    public static LocalDate localDate(long epochMillis, int offsetSeconds) {
        return LocalDate.ofEpochDay(Math.floorDiv(epochMillis + offsetSeconds * 1000L, 86_400_000L));
    }
}
