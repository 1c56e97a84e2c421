package com.expressmonitor.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.alert.Alert;
import com.expressmonitor.alert.AlertKind;
import com.expressmonitor.alert.AlertLevel;
import com.expressmonitor.alert.AlertStatus;
import com.expressmonitor.district.DistrictMetrics;
import com.expressmonitor.event.FacilityType;
import com.expressmonitor.testing.Scans;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** The console's lines: units, rounding, alignment by display width, colour only when asked, window order. */
class ConsoleOutputsTest {
    private static final int SHANGHAI = 8 * 3600;

    private static Alert alert(String district, String name, AlertKind kind, AlertStatus status, AlertLevel level,
            double value, double threshold, String start, String end) {
        return new Alert(district + "/STATION/" + kind + "/x", district, name, FacilityType.STATION, kind, status, level,
                AlertLevel.NONE, value, threshold, Scans.at(start), Scans.at(end), null, 0);
    }

    @Test
    void alertLinesCarryUnitsRoundedNumbersAndAlignedNames() {
        ConsoleOutputs plain = new ConsoleOutputs(SHANGHAI, true, false);
        assertThat(plain.alert(alert("310109", "虹口区", AlertKind.SURGE, AlertStatus.OPEN, AlertLevel.YELLOW, 600,
                575.0400000000001, "2026-11-11T20:00", "2026-11-11T20:15"))).isEqualTo(
                "ALERT   2026-11-11 20:00-20:15  310109 虹口区    STATION        SURGE   OPEN        YELLOW  "
                        + "600 arrivals per hour (threshold 575.04 per hour, was NONE)");
        assertThat(plain.alert(alert("140109", "万柏林区", AlertKind.BACKLOG, AlertStatus.OPEN, AlertLevel.RED, 2501,
                2400, "2026-11-11T21:00", "2026-11-11T21:15"))).isEqualTo(
                "ALERT   2026-11-11 21:00-21:15  140109 万柏林区  STATION        BACKLOG OPEN        RED     "
                        + "2501 parcels waiting (threshold 2400 parcels, was NONE)");
        assertThat(plain.alert(alert("999999", null, AlertKind.STUCK, AlertStatus.RESOLVED, AlertLevel.NONE, 30,
                45, "2026-11-11T21:00", "2026-11-11T21:15"))).isEqualTo(
                "ALERT   2026-11-11 21:00-21:15  999999           STATION        STUCK   RESOLVED    clear   "
                        + "30 parcels stuck (threshold 45 parcels, was NONE)");
        ConsoleOutputs coloured = new ConsoleOutputs(SHANGHAI, true, true);
        assertThat(coloured.alert(alert("310109", "虹口区", AlertKind.SURGE, AlertStatus.OPEN, AlertLevel.YELLOW, 600,
                575.04, "2026-11-11T20:00", "2026-11-11T20:15"))).contains("\u001b[33mYELLOW\u001b[0m");
        assertThat(plain.alert(alert("310109", "虹口区", AlertKind.SURGE, AlertStatus.OPEN, AlertLevel.YELLOW, 600,
                575.04, "2026-11-11T20:00", "2026-11-11T20:15"))).doesNotContain("\u001b");
    }

    @Test
    void metricsLinesNameTheirUnit() {
        ConsoleOutputs plain = new ConsoleOutputs(SHANGHAI, true, false);
        assertThat(plain.metrics(new DistrictMetrics("330482", "平湖市", FacilityType.SORTING_CENTER,
                Scans.at("2026-11-11T10:00"), Scans.at("2026-11-11T10:05"), 22, 3, 0, 1, 40, 2, "DOUBLE_11")))
                .isEqualTo("METRICS 2026-11-11 10:00-10:05  330482 平湖市    SORTING_CENTER parcels: arrivals    22"
                        + "  departures     3  deliveries     0  exceptions    1  backlog     40  stuck     2  [DOUBLE_11]");
    }

    @Test
    void displayWidthCountsChineseAsTwoColumns() {
        assertThat(DisplayWidth.of("330482 平湖市")).isEqualTo(13);
        assertThat(DisplayWidth.of("ＡＢ")).isEqualTo(4);
        assertThat(DisplayWidth.of("e\u0301")).isEqualTo(1);
        assertThat(DisplayWidth.padRight("万柏林区", 10)).isEqualTo("万柏林区  ");
        assertThat(DisplayWidth.padLeft("42", 5)).isEqualTo("   42");
    }

    @Test
    void numbersAreRoundedToTwoDecimalsWithoutNoise() {
        assertThat(OutputJson.roundedText(153.60000000000002)).isEqualTo("153.6");
        assertThat(OutputJson.roundedText(575.0400000000001)).isEqualTo("575.04");
        assertThat(OutputJson.roundedText(5000.0)).isEqualTo("5000");
        assertThat(OutputJson.roundedText(0.125)).isEqualTo("0.13");
        assertThat(OutputJson.roundedText(1e-9)).isEqualTo("0");
        String json = new String(new OutputJson(SHANGHAI).alert(alert("330482", null, AlertKind.SURGE, AlertStatus.OPEN,
                AlertLevel.YELLOW, 600.0, 153.60000000000002, "2026-11-11T20:00", "2026-11-11T20:15")),
                StandardCharsets.UTF_8);
        assertThat(json).contains("\"value\":600,\"threshold\":153.6,");
    }

    @Test
    void deadLettersAndLateEventsAreCountedPerReasonAndPartition() {
        Map<String, Long> dead = new TreeMap<>(Map.of("reason:MALFORMED_JSON", 2L, "reason:MISSING_FIELD", 1L,
                "partition:kafka:express.scan-events/0", 2L, "partition:kafka:express.scan-events/3", 1L));
        Map<String, Long> late = Map.of("partition:kafka:express.scan-events/3", 1L);
        assertThat(ConsoleOutputs.countLines(dead, new TreeMap<>(late))).containsExactly(
                "3 dead letters: MALFORMED_JSON 2, MISSING_FIELD 1; from kafka:express.scan-events/0 2, "
                        + "kafka:express.scan-events/3 1",
                "1 late event: from kafka:express.scan-events/3 1",
                "(--show-records true prints each dead letter and late event)");
        assertThat(ConsoleOutputs.countLines(Map.of(), Map.of())).isEmpty();
        assertThat(ConsoleOutputs.partition("file:scans.jsonl:12")).isEqualTo("file:scans.jsonl");
        assertThat(ConsoleOutputs.partition("kafka:t/2/15")).isEqualTo("kafka:t/2");
    }

    @Test
    void alertsArePrintedInWindowOrderOnceTheWatermarkPassesTheirWindow() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = ConsoleSink.OUT;
        ConsoleSink.OUT = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try {
            WindowOrderedConsoleSink<Alert> sink = new WindowOrderedConsoleSink<>(
                    a -> a.district() + " " + a.windowEnd(), Alert::windowEnd, Alert::district);
            SinkWriter<Alert> w = sink.createWriter(null);
            Alert late1 = alert("330482", null, AlertKind.STUCK, AlertStatus.OPEN, AlertLevel.YELLOW, 1, 1,
                    "2026-11-11T10:15", "2026-11-11T10:30");
            Alert early2 = alert("320505", null, AlertKind.STUCK, AlertStatus.OPEN, AlertLevel.YELLOW, 1, 1,
                    "2026-11-11T10:00", "2026-11-11T10:15");
            Alert early1 = alert("110101", null, AlertKind.STUCK, AlertStatus.OPEN, AlertLevel.YELLOW, 1, 1,
                    "2026-11-11T10:00", "2026-11-11T10:15");
            w.write(late1, null);
            w.write(early2, null);
            w.writeWatermark(new Watermark(Scans.at("2026-11-11T10:15") - 2));
            assertThat(bytes.toString(StandardCharsets.UTF_8)).isEmpty();
            w.write(early1, null);
            w.writeWatermark(new Watermark(Scans.at("2026-11-11T10:15") - 1));
            assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                    "110101 " + Scans.at("2026-11-11T10:15"), "320505 " + Scans.at("2026-11-11T10:15"));
            w.flush(true);
            assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).hasSize(3)
                    .last().isEqualTo("330482 " + Scans.at("2026-11-11T10:30"));
        } finally {
            ConsoleSink.OUT = saved;
        }
    }
}
