package com.expressmonitor.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Map;

/**
 * Turns one input record's bytes into a {@link ScanRecord}: a valid event, or the first failing check of SPEC §2.
 *
 * <p>It reads straight from the bytes with a streaming parser (no tree, no reflection) because it runs once per
 * input record; it never throws.
 */
public final class ScanParser implements Serializable {
    private static final long serialVersionUID = 1L;

    /** 2000-01-01T00:00:00Z: scans before it are out of range. */
    public static final long MIN_EVENT_TIME = 946_684_800_000L;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
            .build();

    private static final int F_EVENT_ID = 0;
    private static final int F_WAYBILL = 1;
    private static final int F_SCAN_TYPE = 2;
    private static final int F_FACILITY_ID = 3;
    private static final int F_FACILITY_TYPE = 4;
    private static final int F_DISTRICT = 5;
    private static final int F_CARRIER = 6;
    private static final int F_EVENT_TIME = 7;
    private static final String[] FIELD_NAMES = {
        "eventId", "waybillNo", "scanType", "facilityId", "facilityType", "districtCode", "carrier", "eventTime"
    };
    /** The fields whose absence is MISSING_FIELD, in the order they are checked. */
    private static final int[] REQUIRED = {F_EVENT_ID, F_WAYBILL, F_SCAN_TYPE, F_FACILITY_ID, F_EVENT_TIME};

    private final Map<String, FacilityInfo> registry;
    private final long maxFutureMillis;
    private final Clock clock;
    /** Whether records of the common shape skip the streaming parser (off only in the test comparing the two). */
    boolean fastPath = true;

    /** Wall-clock source for the "not in the future" check; replaceable so that tests are repeatable. */
    @FunctionalInterface
    public interface Clock extends Serializable {
        long nowMillis();
    }

    public ScanParser(Map<String, FacilityInfo> registry, long maxFutureMillis, Clock clock) {
        this.registry = Map.copyOf(registry);
        this.maxFutureMillis = maxFutureMillis;
        this.clock = clock;
    }

    public ScanParser(Map<String, FacilityInfo> registry, long maxFutureMillis) {
        this(registry, maxFutureMillis, System::currentTimeMillis);
    }

    public ScanRecord parse(byte[] bytes, String partition, long position) {
        return parse(bytes, 0, bytes.length, partition, position);
    }

    /** Parses and validates {@code bytes[off, off+len)}; the returned record owns a copy of the bytes when rejected. */
    public ScanRecord parse(byte[] bytes, int off, int len, String partition, long position) {
        if (!Utf8.isValid(bytes, off, len)) {
            return reject(RejectReason.MALFORMED_JSON, "record is not UTF-8 text (" + partition + position + ")",
                    bytes, off, len, partition, position);
        }
        if (len >= 3 && bytes[off] == (byte) 0xEF && bytes[off + 1] == (byte) 0xBB && bytes[off + 2] == (byte) 0xBF) {
            // A byte order mark is not JSON text (RFC 8259 section 8.1); strict parsers reject it.
            return reject(RejectReason.MALFORMED_JSON, "record starts with a byte order mark (" + partition + position + ")",
                    bytes, off, len, partition, position);
        }
        // Values seen per field: the JSON token type and the text (strings) or number (integers).
        JsonToken[] tokens = new JsonToken[FIELD_NAMES.length];
        String[] texts = new String[FIELD_NAMES.length];
        long epochMillis = 0;
        boolean bigInteger = false;
        long[] flatEventTime = new long[1];
        if (fastPath && readFlat(bytes, off, len, tokens, texts, flatEventTime)) {
            epochMillis = flatEventTime[0];
        } else try (JsonParser p = JSON.createParser(bytes, off, len)) {
            Arrays.fill(tokens, null); // the flat reader may have stopped half way
            Arrays.fill(texts, null);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return reject(RejectReason.MALFORMED_JSON, "record is not a JSON object (" + partition + position + ")",
                        bytes, off, len, partition, position);
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                int field = fieldIndex(p.currentName());
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    p.skipChildren();
                }
                if (field < 0) {
                    continue; // unknown fields are ignored
                }
                if (value == JsonToken.VALUE_NULL) {
                    tokens[field] = null; // null counts as absent
                    texts[field] = null;
                    continue;
                }
                tokens[field] = value;
                texts[field] = value == JsonToken.VALUE_STRING ? p.getText() : null;
                if (field == F_EVENT_TIME && value == JsonToken.VALUE_NUMBER_INT) {
                    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        bigInteger = true;
                        texts[field] = p.getText();
                    } else {
                        bigInteger = false;
                        epochMillis = p.getLongValue();
                        texts[field] = p.getText();
                    }
                }
            }
            if (p.nextToken() != null) {
                return reject(RejectReason.MALFORMED_JSON, "record has content after the JSON object (" + partition + position + ")",
                        bytes, off, len, partition, position);
            }
        } catch (IOException | RuntimeException e) {
            return reject(RejectReason.MALFORMED_JSON, "record is not valid JSON: " + describe(e) + " (" + partition + position + ")",
                    bytes, off, len, partition, position);
        }

        for (int field : REQUIRED) {
            if (tokens[field] == null) {
                return reject(RejectReason.MISSING_FIELD, "field '" + FIELD_NAMES[field] + "' is missing (" + partition + position + ")",
                        bytes, off, len, partition, position);
            }
        }

        String eventId = texts[F_EVENT_ID];
        if (tokens[F_EVENT_ID] != JsonToken.VALUE_STRING || !lengthBetween(eventId, 1, 128)) {
            return invalid(F_EVENT_ID, tokens, texts, "a string of 1-128 characters", bytes, off, len, partition, position);
        }
        String waybill = texts[F_WAYBILL];
        if (tokens[F_WAYBILL] != JsonToken.VALUE_STRING || !isWaybill(waybill)) {
            return invalid(F_WAYBILL, tokens, texts, "1-64 characters of [A-Za-z0-9-]", bytes, off, len, partition, position);
        }
        ScanType scanType = tokens[F_SCAN_TYPE] == JsonToken.VALUE_STRING ? ScanType.parse(texts[F_SCAN_TYPE]) : null;
        if (scanType == null) {
            return invalid(F_SCAN_TYPE, tokens, texts,
                    "one of COLLECTED, ARRIVED, DEPARTED, OUT_FOR_DELIVERY, DELIVERED, EXCEPTION",
                    bytes, off, len, partition, position);
        }
        String facilityId = texts[F_FACILITY_ID];
        if (tokens[F_FACILITY_ID] != JsonToken.VALUE_STRING || !lengthBetween(facilityId, 1, 64)) {
            return invalid(F_FACILITY_ID, tokens, texts, "a string of 1-64 characters", bytes, off, len, partition, position);
        }
        FacilityType facilityType = null;
        if (tokens[F_FACILITY_TYPE] != null) {
            facilityType = tokens[F_FACILITY_TYPE] == JsonToken.VALUE_STRING
                    ? FacilityType.parse(texts[F_FACILITY_TYPE]) : null;
            if (facilityType == null) {
                return invalid(F_FACILITY_TYPE, tokens, texts, "SORTING_CENTER or STATION", bytes, off, len, partition, position);
            }
        }
        String district = null;
        if (tokens[F_DISTRICT] != null) {
            district = texts[F_DISTRICT];
            if (tokens[F_DISTRICT] != JsonToken.VALUE_STRING || !isDistrictCode(district)) {
                return invalid(F_DISTRICT, tokens, texts, "a string of 6 digits", bytes, off, len, partition, position);
            }
        }
        String carrier = null;
        if (tokens[F_CARRIER] != null) {
            if (tokens[F_CARRIER] != JsonToken.VALUE_STRING) {
                return invalid(F_CARRIER, tokens, texts, "a string", bytes, off, len, partition, position);
            }
            carrier = texts[F_CARRIER];
        }
        long eventTime;
        boolean outOfRange = false;
        if (tokens[F_EVENT_TIME] == JsonToken.VALUE_NUMBER_INT) {
            eventTime = epochMillis;
            outOfRange = bigInteger;
        } else if (tokens[F_EVENT_TIME] == JsonToken.VALUE_STRING) {
            eventTime = parseIsoTime(texts[F_EVENT_TIME]);
            if (eventTime == Long.MIN_VALUE) {
                return invalid(F_EVENT_TIME, tokens, texts,
                        "yyyy-MM-ddTHH:mm:ss[.fraction] followed by Z or \u00b1HH:MM, or integer epoch milliseconds",
                        bytes, off, len, partition, position);
            }
        } else {
            return invalid(F_EVENT_TIME, tokens, texts,
                    "yyyy-MM-ddTHH:mm:ss[.fraction] followed by Z or \u00b1HH:MM, or integer epoch milliseconds",
                    bytes, off, len, partition, position);
        }

        if (facilityType == null || district == null) {
            FacilityInfo known = registry.get(facilityId);
            if (known != null) {
                facilityType = facilityType != null ? facilityType : known.facilityType();
                district = district != null ? district : known.districtCode();
            }
            if (facilityType == null || district == null) {
                String missing = facilityType == null && district == null ? "facilityType and districtCode"
                        : facilityType == null ? "facilityType" : "districtCode";
                return reject(RejectReason.UNKNOWN_FACILITY, "facility '" + facilityId + "' has no " + missing
                        + " in the record or the facility registry (" + partition + position + ")", bytes, off, len, partition, position);
            }
        }

        if (outOfRange || eventTime < MIN_EVENT_TIME || eventTime > clock.nowMillis() + maxFutureMillis) {
            return reject(RejectReason.TIMESTAMP_OUT_OF_RANGE, "field 'eventTime' value " + quote(texts[F_EVENT_TIME])
                    + " is before 2000-01-01T00:00:00Z or later than now plus validation.max-future (" + partition + position + ")",
                    bytes, off, len, partition, position);
        }
        return ScanRecord.valid(new ScanEvent(eventId, waybill, scanType, facilityId, facilityType, district, carrier,
                eventTime), partition, position);
    }

    /**
     * Reads the common shape of a record straight from its bytes, about four times as fast as the streaming parser:
     * one flat object whose values are strings without escapes, non-negative integers of up to 18 digits, or null.
     * Fills {@code tokens} and {@code texts} exactly as the parser's loop would, or returns false at the first thing
     * outside that shape (escapes, control characters, nested values, booleans, fractions, signs, other whitespace,
     * anything after the object), and the parser then reads the record from the start, with its own messages.
     */
    static boolean readFlat(byte[] b, int off, int len, JsonToken[] tokens, String[] texts, long[] eventTime) {
        int end = off + len;
        int i = skipSpace(b, off, end);
        if (i >= end || b[i] != '{') {
            return false;
        }
        i = skipSpace(b, i + 1, end);
        if (i < end && b[i] == '}') {
            return skipSpace(b, i + 1, end) == end;
        }
        while (true) {
            if (i >= end || b[i] != '"') {
                return false;
            }
            int nameEnd = stringEnd(b, i + 1, end);
            if (nameEnd < 0) {
                return false;
            }
            int field = fieldIndex(b, i + 1, nameEnd);
            i = skipSpace(b, nameEnd + 1, end);
            if (i >= end || b[i] != ':') {
                return false;
            }
            i = skipSpace(b, i + 1, end);
            if (i >= end) {
                return false;
            }
            byte c = b[i];
            if (c == '"') {
                int valueEnd = stringEnd(b, i + 1, end);
                if (valueEnd < 0) {
                    return false;
                }
                if (field >= 0) {
                    tokens[field] = JsonToken.VALUE_STRING;
                    texts[field] = text(b, i + 1, valueEnd);
                }
                i = valueEnd + 1;
            } else if (c >= '0' && c <= '9') {
                int start = i;
                long v = 0;
                while (i < end && b[i] >= '0' && b[i] <= '9') {
                    v = v * 10 + (b[i] - '0');
                    i++;
                }
                int digits = i - start;
                if (digits > 18 || (c == '0' && digits > 1)
                        || (i < end && (b[i] == '.' || b[i] == 'e' || b[i] == 'E'))) {
                    return false;
                }
                if (field >= 0) {
                    tokens[field] = JsonToken.VALUE_NUMBER_INT;
                    texts[field] = field == F_EVENT_TIME ? text(b, start, i) : null;
                    if (field == F_EVENT_TIME) {
                        eventTime[0] = v;
                    }
                }
            } else if (c == 'n' && i + 4 <= end && b[i + 1] == 'u' && b[i + 2] == 'l' && b[i + 3] == 'l') {
                if (field >= 0) {
                    tokens[field] = null; // null counts as absent
                    texts[field] = null;
                }
                i += 4;
            } else {
                return false;
            }
            i = skipSpace(b, i, end);
            if (i >= end) {
                return false;
            }
            if (b[i] == '}') {
                return skipSpace(b, i + 1, end) == end;
            }
            if (b[i] != ',') {
                return false;
            }
            i = skipSpace(b, i + 1, end);
        }
    }

    /** The first position from {@code i} that is not JSON whitespace. */
    private static int skipSpace(byte[] b, int i, int end) {
        while (i < end && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    /** The position of the quote that ends a string starting at {@code i}, or -1 for an escape or control char. */
    private static int stringEnd(byte[] b, int i, int end) {
        for (; i < end; i++) {
            byte c = b[i];
            if (c == '"') {
                return i;
            }
            if (c == '\\' || (c >= 0 && c < 0x20)) {
                return -1;
            }
        }
        return -1;
    }

    /** The (already validated UTF-8) text of {@code b[from, to)}. */
    private static String text(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] < 0) {
                return new String(b, from, to - from, StandardCharsets.UTF_8);
            }
        }
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** The field names' bytes, by field index: a record's names are matched without making a string of them. */
    private static final byte[][] FIELD_NAME_BYTES = Arrays.stream(FIELD_NAMES)
            .map(n -> n.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);

    /** The index of the field whose name is {@code b[from, to)}, or -1 for a field the parser ignores. */
    private static int fieldIndex(byte[] b, int from, int to) {
        int length = to - from;
        for (int f = 0; f < FIELD_NAME_BYTES.length; f++) {
            byte[] name = FIELD_NAME_BYTES[f];
            if (name.length == length && name[0] == b[from] && Arrays.equals(name, 0, length, b, from, to)) {
                return f;
            }
        }
        return -1;
    }

    private static int fieldIndex(String name) {
        switch (name) {
            case "eventId": return F_EVENT_ID;
            case "waybillNo": return F_WAYBILL;
            case "scanType": return F_SCAN_TYPE;
            case "facilityId": return F_FACILITY_ID;
            case "facilityType": return F_FACILITY_TYPE;
            case "districtCode": return F_DISTRICT;
            case "carrier": return F_CARRIER;
            case "eventTime": return F_EVENT_TIME;
            default: return -1;
        }
    }

    private static ScanRecord invalid(int field, JsonToken[] tokens, String[] texts, String expected,
            byte[] bytes, int off, int len, String partition, long position) {
        String got = tokens[field] == JsonToken.VALUE_STRING ? quote(texts[field])
                : tokens[field] == JsonToken.VALUE_NUMBER_INT || tokens[field] == JsonToken.VALUE_NUMBER_FLOAT ? "a number"
                : tokens[field] == JsonToken.VALUE_TRUE || tokens[field] == JsonToken.VALUE_FALSE ? "a boolean"
                : tokens[field] == JsonToken.START_OBJECT ? "an object"
                : tokens[field] == JsonToken.START_ARRAY ? "an array" : String.valueOf(tokens[field]);
        if (field == F_EVENT_TIME && texts[field] != null && tokens[field] != JsonToken.VALUE_STRING) {
            got = texts[field];
        }
        return reject(RejectReason.INVALID_FIELD, "field '" + FIELD_NAMES[field] + "' must be " + expected + ", got "
                + got + " (" + partition + position + ")", bytes, off, len, partition, position);
    }

    private static ScanRecord reject(RejectReason reason, String detail, byte[] bytes, int off, int len,
            String partition, long position) {
        byte[] raw = new byte[len];
        System.arraycopy(bytes, off, raw, 0, len);
        return ScanRecord.rejected(reason, detail, raw, partition, position);
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return '"' + shown + '"';
    }

    /** The parser's complaint and where it stopped, without its echo of the input. */
    private static String describe(Exception e) {
        String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (message == null) {
            return "unreadable";
        }
        int cut = message.indexOf(" (start marker at");
        message = cut < 0 ? message : message.substring(0, cut);
        int nl = message.indexOf('\n');
        message = nl < 0 ? message : message.substring(0, nl);
        if (e instanceof JsonProcessingException j && j.getLocation() != null && j.getLocation().getColumnNr() > 0) {
            message += " at column " + j.getLocation().getColumnNr();
        }
        return message;
    }

    static boolean lengthBetween(String s, int min, int max) {
        int n = s.codePointCount(0, s.length());
        return n >= min && n <= max;
    }

    static boolean isWaybill(String s) {
        int n = s.length();
        if (n < 1 || n > 64) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    static boolean isDistrictCode(String s) {
        if (s.length() != 6) {
            return false;
        }
        for (int i = 0; i < 6; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|±HH:MM)} to epoch milliseconds (fraction truncated to
     * milliseconds), or returns {@link Long#MIN_VALUE} when the text is not of that form or not a real instant.
     */
    public static long parseIsoTime(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return Long.MIN_VALUE;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return Long.MIN_VALUE;
        }
        int i = 19;
        int millis = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                if (i - start < 3) {
                    millis = millis * 10 + (s.charAt(i) - '0');
                }
                i++;
            }
            if (i == start) {
                return Long.MIN_VALUE;
            }
            for (int k = i - start; k < 3; k++) {
                millis *= 10;
            }
        }
        if (i >= n) {
            return Long.MIN_VALUE;
        }
        int offsetSeconds;
        char z = s.charAt(i);
        if (z == 'Z') {
            if (i + 1 != n) {
                return Long.MIN_VALUE;
            }
            offsetSeconds = 0;
        } else if (z == '+' || z == '-') {
            if (i + 6 != n || s.charAt(i + 3) != ':') {
                return Long.MIN_VALUE;
            }
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if (oh < 0 || om < 0 || oh > 18 || om > 59 || (oh == 18 && om > 0)) {
                return Long.MIN_VALUE;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (z == '-' ? -1 : 1);
        } else {
            return Long.MIN_VALUE;
        }
        if (hour > 23 || minute > 59 || second > 59) {
            return Long.MIN_VALUE;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return Long.MIN_VALUE;
        }
        long seconds = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return seconds * 1000L + millis;
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
