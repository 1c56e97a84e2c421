package com.expressmonitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.district.DistrictMetrics;
import com.expressmonitor.event.FacilityType;
import com.expressmonitor.io.OutputJson;
import com.expressmonitor.testing.Scans;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Alert levels, hysteresis, statuses, ids and thresholds of SPEC §3 "Alerts", without Flink. */
class AlertEvaluatorTest {
    private static final long FIVE_MINUTES = 300_000L;

    @TempDir
    Path dir;

    private final MonitorConfig defaults = ConfigLoader.defaults();

    private static DistrictMetrics metrics(String district, String name, FacilityType type, String windowStart,
            long arrivals, long backlog, long stuck, String season) {
        long start = Scans.at(windowStart);
        return new DistrictMetrics(district, name, type, start, start + FIVE_MINUTES, arrivals, 0, 0, 0, backlog, stuck,
                season);
    }

    private List<String> run(MonitorConfig config, List<DistrictMetrics> windows) {
        AlertEvaluator evaluator = new AlertEvaluator(config);
        OutputJson json = new OutputJson(config.zoneOffsetSeconds());
        AlertState state = new AlertState();
        List<String> out = new ArrayList<>();
        for (DistrictMetrics m : windows) {
            evaluator.evaluate(state, m, a -> out.add(new String(json.alert(a), StandardCharsets.UTF_8)));
        }
        return out;
    }

    @Test
    void backlogRisesEscalatesHoldsStepsDownAndResolves() {
        FacilityType sc = FacilityType.SORTING_CENTER;
        List<String> alerts = run(defaults, List.of(
                metrics("110101", null, sc, "2026-12-01T10:00", 0, 4999, 0, null),
                metrics("110101", null, sc, "2026-12-01T10:05", 0, 5000, 0, null),   // OPEN yellow
                metrics("110101", null, sc, "2026-12-01T10:10", 0, 4500, 0, null),   // held: 4500 >= 5000 x 0.9
                metrics("110101", null, sc, "2026-12-01T10:15", 0, 10000, 0, null),  // ESCALATED red
                metrics("110101", null, sc, "2026-12-01T10:20", 0, 9000, 0, null),   // held: 9000 >= 10000 x 0.9
                metrics("110101", null, sc, "2026-12-01T10:25", 0, 8999, 0, null),   // DEESCALATED yellow
                metrics("110101", null, sc, "2026-12-01T10:30", 0, 4499, 0, null),   // RESOLVED
                metrics("110101", null, sc, "2026-12-01T10:35", 0, 20000, 0, null),  // OPEN red, a new id
                metrics("110101", null, sc, "2026-12-01T10:40", 0, 0, 0, null)));    // RESOLVED from red at once
        String id1 = "110101/SORTING_CENTER/BACKLOG/2026-12-01T10:10:00+08:00";
        String id2 = "110101/SORTING_CENTER/BACKLOG/2026-12-01T10:40:00+08:00";
        assertThat(alerts).containsExactly(
                alert(id1, "OPEN", "YELLOW", "NONE", "5000", "5000", "10:05", "10:10"),
                alert(id1, "ESCALATED", "RED", "YELLOW", "10000", "10000", "10:15", "10:20"),
                alert(id1, "DEESCALATED", "YELLOW", "RED", "8999", "5000", "10:25", "10:30"),
                alert(id1, "RESOLVED", "NONE", "YELLOW", "4499", "4500", "10:30", "10:35"),
                alert(id2, "OPEN", "RED", "NONE", "20000", "10000", "10:35", "10:40"),
                alert(id2, "RESOLVED", "NONE", "RED", "0", "4500", "10:40", "10:45"));
    }

    private static String alert(String id, String status, String level, String previous, String value,
            String threshold, String start, String end) {
        return "{\"alertId\":\"" + id + "\",\"district\":\"110101\",\"districtName\":null,"
                + "\"facilityType\":\"SORTING_CENTER\",\"kind\":\"BACKLOG\",\"status\":\"" + status + "\",\"level\":\""
                + level + "\",\"previousLevel\":\"" + previous + "\",\"value\":" + value + ",\"threshold\":" + threshold
                + ",\"windowStart\":\"2026-12-01T" + start + ":00+08:00\",\"windowEnd\":\"2026-12-01T" + end
                + ":00+08:00\",\"season\":null,\"rulesVersion\":0}";
    }

    @Test
    void kindsAreEvaluatedInOrderAndSurgeUsesCapacity() {
        // 330482 SORTING_CENTER: capacity 20000/h, surge yellow at 0.8 -> 16000/h; 1334 arrivals in 5 min = 16008/h.
        List<String> alerts = run(defaults, List.of(metrics("330482", "平湖市", FacilityType.SORTING_CENTER,
                "2026-11-11T10:00", 1334, 5000, 100, "DOUBLE_11")));
        assertThat(alerts).hasSize(3);
        assertThat(alerts.get(0)).contains("\"kind\":\"BACKLOG\"", "\"districtName\":\"平湖市\"", "\"season\":\"DOUBLE_11\"");
        assertThat(alerts.get(1)).contains("\"kind\":\"STUCK\"", "\"value\":100,\"threshold\":100");
        assertThat(alerts.get(2)).contains("\"kind\":\"SURGE\"", "\"level\":\"YELLOW\"", "\"value\":16008,\"threshold\":16000",
                "\"alertId\":\"330482/SORTING_CENTER/SURGE/2026-11-11T10:05:00+08:00\"");
    }

    @Test
    void surgeIsNotEvaluatedWithoutCapacity() {
        assertThat(run(defaults, List.of(metrics("110101", null, FacilityType.STATION, "2026-11-11T10:00", 100000, 0, 0,
                "DOUBLE_11")))).isEmpty();
    }

    @Test
    void seasonMultiplierAppliesToEveryThresholdOfTheWindowEvaluated() throws Exception {
        Path yaml = dir.resolve("season.yaml");
        Files.writeString(yaml, """
                peak-seasons:
                  - {name: PEAK, from: "2026-12-02", to: "2026-12-02", threshold-multiplier: 2.0}
                """);
        MonitorConfig config = ConfigLoader.load(yaml, Map.of());
        FacilityType st = FacilityType.STATION;
        List<String> alerts = run(config, List.of(
                metrics("110101", null, st, "2026-12-01T23:50", 0, 1000, 0, null),     // yellow at 1000
                metrics("110101", null, st, "2026-12-01T23:55", 0, 1900, 0, null),     // still yellow (not red: 2000)
                metrics("110101", null, st, "2026-12-02T00:00", 0, 1900, 0, "PEAK"),   // in season: hold 2000 x 0.9 = 1800
                metrics("110101", null, st, "2026-12-02T00:05", 0, 1799, 0, "PEAK"),   // below the doubled hold level
                metrics("110101", null, st, "2026-12-02T00:10", 0, 4000, 0, "PEAK"),   // red at 2 x 2000
                metrics("110101", null, st, "2026-12-03T00:00", 0, 3999, 0, null),     // out of season: red at 2000
                metrics("110101", null, st, "2026-12-03T00:05", 0, 1700, 0, null)));   // below 2000 x 0.9: yellow
        assertThat(alerts).hasSize(4);
        assertThat(alerts.get(0)).contains("\"status\":\"OPEN\"", "\"threshold\":1000");
        assertThat(alerts.get(1)).contains("\"status\":\"RESOLVED\"", "\"value\":1799", "\"threshold\":1800",
                "\"season\":\"PEAK\"");
        assertThat(alerts.get(2)).contains("\"status\":\"OPEN\"", "\"level\":\"RED\"", "\"threshold\":4000");
        assertThat(alerts.get(3)).contains("\"status\":\"DEESCALATED\"", "\"level\":\"YELLOW\"", "\"threshold\":1000");
    }

    @Test
    void fractionalThresholdsKeepTheirFraction() throws Exception {
        Path yaml = dir.resolve("frac.yaml");
        Files.writeString(yaml, """
                peak-seasons:
                  - {name: P, from: "12-01", to: "12-31", threshold-multiplier: 1.15}
                """);
        List<String> alerts = run(ConfigLoader.load(yaml, Map.of()), List.of(
                metrics("110101", null, FacilityType.STATION, "2026-12-01T10:00", 0, 1150, 0, "P")));
        assertThat(alerts.get(0)).contains("\"threshold\":1150");
        List<String> none = run(ConfigLoader.load(yaml, Map.of()), List.of(
                metrics("110101", null, FacilityType.STATION, "2026-12-01T10:00", 0, 1149, 0, "P")));
        assertThat(none).isEmpty();
    }
}
