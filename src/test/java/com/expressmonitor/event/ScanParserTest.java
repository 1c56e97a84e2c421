package com.expressmonitor.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Validation of SPEC §2: each reason, the order of the checks, and what the detail says. */
class ScanParserTest {
    private static final long NOW = ScanParser.parseIsoTime("2026-11-11T12:00:00+08:00");
    private static final ScanParser PARSER = new ScanParser(
            Map.of("REG-SC", new FacilityInfo(FacilityType.SORTING_CENTER, "320506"),
                    "REG-ST", new FacilityInfo(FacilityType.STATION, "340104")),
            86_400_000L, () -> NOW);

    private static final String VALID = "{\"eventId\":\"e1\",\"waybillNo\":\"YT-123\",\"scanType\":\"ARRIVED\","
            + "\"facilityId\":\"SC1\",\"facilityType\":\"SORTING_CENTER\",\"districtCode\":\"330482\","
            + "\"carrier\":\"YTO\",\"eventTime\":\"2026-11-11T09:30:00+08:00\"}";

    private static ScanRecord parse(String json) {
        return PARSER.parse(json.getBytes(StandardCharsets.UTF_8), "file:feed.jsonl:", 7);
    }

    private static String with(String field, String jsonValue) {
        String replaced = VALID.replaceFirst("\"" + field + "\":(\"[^\"]*\"|[^,}]*)", "\"" + field + "\":" + jsonValue);
        return replaced.equals(VALID) && !VALID.contains("\"" + field + "\":" + jsonValue)
                ? VALID.replace("{", "{\"" + field + "\":" + jsonValue + ",") : replaced;
    }

    private static String without(String field) {
        return VALID.replaceFirst("\"" + field + "\":(\"[^\"]*\"|[^,}]*),?", "").replace(",}", "}");
    }

    @Test
    void aValidRecordBecomesAnEvent() {
        ScanRecord r = parse(VALID);
        assertThat(r.isValid()).isTrue();
        assertThat(r.event).isEqualTo(new ScanEvent("e1", "YT-123", ScanType.ARRIVED, "SC1",
                FacilityType.SORTING_CENTER, "330482", "YTO", ScanParser.parseIsoTime("2026-11-11T01:30:00Z")));
        assertThat(r.source()).isEqualTo("file:feed.jsonl:7");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "not json at all",
        "[1,2,3]",
        "\"text\"",
        "{\"eventId\":\"e1\"",
        "{\"eventId\":\"e1\"} {}",
        "{\"eventId\":\"e1\"} x",
    })
    void malformedJson(String text) {
        ScanRecord r = parse(text);
        assertThat(r.reason).isEqualTo(RejectReason.MALFORMED_JSON);
        assertThat(r.detail).endsWith("(file:feed.jsonl:7)");
        assertThat(new String(r.raw, StandardCharsets.UTF_8)).isEqualTo(text);
    }

    @Test
    void bytesThatAreNotUtf8AreMalformed() {
        byte[] bytes = VALID.replace("SC1", "SC\u00e9").getBytes(StandardCharsets.ISO_8859_1);
        ScanRecord r = PARSER.parse(bytes, "kafka:t/0/", 42);
        assertThat(r.reason).isEqualTo(RejectReason.MALFORMED_JSON);
        assertThat(r.detail).isEqualTo("record is not UTF-8 text (kafka:t/0/42)");
        assertThat(r.raw).isEqualTo(bytes);
        assertThat(Utf8.rawText(r.raw)).isEqualTo(java.util.Base64.getEncoder().encodeToString(bytes));
    }

    @Test
    void aByteOrderMarkIsNotJson() {
        ScanRecord r = parse("\uFEFF" + VALID);
        assertThat(r.reason).isEqualTo(RejectReason.MALFORMED_JSON);
        assertThat(r.detail).isEqualTo("record starts with a byte order mark (file:feed.jsonl:7)");
    }

    @Test
    void eventIdsOrderByCodePoint() {
        ScanEvent replacement = new ScanEvent("\uFFFD", "W", ScanType.ARRIVED, "F", FacilityType.STATION, "110101", null, 1);
        ScanEvent emoji = new ScanEvent("\uD83D\uDE00", "W", ScanType.ARRIVED, "F", FacilityType.STATION, "110101", null, 1);
        ScanEvent ascii = new ScanEvent("z", "W", ScanType.ARRIVED, "F", FacilityType.STATION, "110101", null, 1);
        assertThat(ScanEvent.compareForApplication(replacement, emoji)).isNegative();
        assertThat(ScanEvent.compareForApplication(emoji, replacement)).isPositive();
        assertThat(ScanEvent.compareForApplication(ascii, replacement)).isNegative();
        assertThat(ScanEvent.compareForApplication(ascii, ascii)).isZero();
    }

    @ParameterizedTest
    @CsvSource({"eventId", "waybillNo", "scanType", "facilityId", "eventTime"})
    void missingRequiredField(String field) {
        ScanRecord r = parse(without(field));
        assertThat(r.reason).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(r.detail).isEqualTo("field '" + field + "' is missing (file:feed.jsonl:7)");
        // null counts as absent
        assertThat(parse(with(field, "null")).reason).isEqualTo(RejectReason.MISSING_FIELD);
    }

    @Test
    void missingIsCheckedBeforeInvalid() {
        ScanRecord r = parse(with("eventId", "5").replace(",\"eventTime\":\"2026-11-11T09:30:00+08:00\"", ""));
        assertThat(r.reason).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(r.detail).contains("'eventTime'");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "eventId      | 17",
        "eventId      | \"\"",
        "waybillNo    | \"YT 123\"",
        "waybillNo    | \"YT#1\"",
        "waybillNo    | \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"",
        "scanType     | \"arrived\"",
        "scanType     | \"LOST\"",
        "facilityId   | \"\"",
        "facilityId   | {\"id\":1}",
        "facilityType | \"LOCKER\"",
        "districtCode | 330482",
        "districtCode | \"33048\"",
        "districtCode | \"33048a\"",
        "carrier      | 7",
        "eventTime    | 1762824600000.0",
        "eventTime    | \"1762824600000\"",
        "eventTime    | \"2026-11-11T09:30:00\"",
        "eventTime    | \"2026-11-11 09:30:00+08:00\"",
        "eventTime    | \"2026-11-11T09:30+08:00\"",
        "eventTime    | \"2026-02-30T09:30:00Z\"",
        "eventTime    | \"2026-11-11T09:30:00+0800\"",
        "eventTime    | true",
    })
    void invalidField(String field, String value) {
        ScanRecord r = parse(with(field, value));
        assertThat(r.reason).isEqualTo(RejectReason.INVALID_FIELD);
        assertThat(r.detail).startsWith("field '" + field + "' must be").endsWith("(file:feed.jsonl:7)");
    }

    @Test
    void invalidFieldsAreReportedInSpecOrder() {
        String json = with("carrier", "1").replace("\"facilityType\":\"SORTING_CENTER\"", "\"facilityType\":\"HUB\"");
        assertThat(parse(json).detail).startsWith("field 'facilityType'");
        assertThat(parse(with("waybillNo", "\"#\"").replace("\"eventId\":\"e1\"", "\"eventId\":1")).detail)
                .startsWith("field 'eventId'");
    }

    @Test
    void detailShowsTheOffendingValue() {
        assertThat(parse(with("waybillNo", "\"YT#1\"")).detail).isEqualTo(
                "field 'waybillNo' must be 1-64 characters of [A-Za-z0-9-], got \"YT#1\" (file:feed.jsonl:7)");
    }

    @Test
    void eventTimeForms() {
        long expected = ScanParser.parseIsoTime("2026-11-11T01:30:00Z");
        assertThat(parse(with("eventTime", "\"2026-11-11T01:30:00Z\"")).event.eventTime()).isEqualTo(expected);
        assertThat(parse(with("eventTime", "\"2026-11-10T20:30:00-05:00\"")).event.eventTime()).isEqualTo(expected);
        assertThat(parse(with("eventTime", "\"2026-11-11T09:30:00.123456+08:00\"")).event.eventTime())
                .isEqualTo(expected + 123);
        assertThat(parse(with("eventTime", "\"2026-11-11T09:30:00.5+08:00\"")).event.eventTime()).isEqualTo(expected + 500);
        assertThat(parse(with("eventTime", String.valueOf(expected))).event.eventTime()).isEqualTo(expected);
    }

    @Test
    void registryFillsTypeAndDistrictButTheEventWins() {
        ScanRecord filled = parse(without("facilityType").replace(",\"districtCode\":\"330482\"", "")
                .replace("\"SC1\"", "\"REG-SC\""));
        assertThat(filled.event.facilityType()).isEqualTo(FacilityType.SORTING_CENTER);
        assertThat(filled.event.districtCode()).isEqualTo("320506");
        ScanRecord eventWins = parse(VALID.replace("\"SC1\"", "\"REG-ST\""));
        assertThat(eventWins.event.facilityType()).isEqualTo(FacilityType.SORTING_CENTER);
        assertThat(eventWins.event.districtCode()).isEqualTo("330482");
        ScanRecord partly = parse(with("facilityType", "null").replace("\"SC1\"", "\"REG-ST\""));
        assertThat(partly.event.facilityType()).isEqualTo(FacilityType.STATION);
        assertThat(partly.event.districtCode()).isEqualTo("330482");
    }

    @Test
    void unknownFacility() {
        ScanRecord r = parse(without("districtCode"));
        assertThat(r.reason).isEqualTo(RejectReason.UNKNOWN_FACILITY);
        assertThat(r.detail).isEqualTo("facility 'SC1' has no districtCode in the record or the facility registry "
                + "(file:feed.jsonl:7)");
    }

    @Test
    void unknownFacilityIsCheckedBeforeTheTimeRange() {
        assertThat(parse(without("facilityType").replace("2026-11-11", "1999-11-11")).reason)
                .isEqualTo(RejectReason.UNKNOWN_FACILITY);
    }

    @ParameterizedTest
    @CsvSource({"\"1999-12-31T23:59:59Z\"", "\"2026-11-12T12:00:01+08:00\"", "-5", "123456789012345678901234567890"})
    void timestampOutOfRange(String value) {
        ScanRecord r = parse(with("eventTime", value));
        assertThat(r.reason).isEqualTo(RejectReason.TIMESTAMP_OUT_OF_RANGE);
        assertThat(r.detail).contains("'eventTime'");
    }

    @Test
    void timeRangeBoundsAreInclusive() {
        assertThat(parse(with("eventTime", "\"2000-01-01T00:00:00Z\"")).isValid()).isTrue();
        assertThat(parse(with("eventTime", "\"2026-11-12T12:00:00+08:00\"")).isValid()).isTrue();
    }

    @Test
    void unknownFieldsAreIgnoredAndCarrierIsOptional() {
        ScanRecord r = parse(without("carrier").replace("{", "{\"extra\":{\"nested\":[1,2,{\"eventId\":5}]},"));
        assertThat(r.isValid()).isTrue();
        assertThat(r.event.carrier()).isNull();
        assertThat(r.event.eventId()).isEqualTo("e1");
    }

    @Test
    void lengthsCountCharactersNotBytes() {
        assertThat(parse(with("eventId", "\"" + "扫".repeat(128) + "\"")).isValid()).isTrue();
        assertThat(parse(with("eventId", "\"" + "扫".repeat(129) + "\"")).reason).isEqualTo(RejectReason.INVALID_FIELD);
    }
}
