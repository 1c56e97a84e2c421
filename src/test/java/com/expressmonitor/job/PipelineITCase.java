package com.expressmonitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.testing.PipelineRun;
import com.expressmonitor.testing.PipelineRun.Result;

import com.expressmonitor.testing.TestCluster;

import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The whole pipeline on a mini cluster at parallelism 2, on small hand-made feeds whose every expected output is
 * written out below (worked out by hand from SPEC §3).
 */
class PipelineITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestCluster.twoSlots();

    @TempDir
    Path dir;

    private static final String CONFIG = """
            window: {size: 1h, timezone: Asia/Shanghai}
            watermark: {out-of-orderness: 1h, idleness: 1m}
            sla: {SORTING_CENTER: 2h, STATION: 4h}
            alerts:
              hysteresis: 0.5
              defaults:
                SORTING_CENTER: {backlog: {yellow: 2, red: 3}, stuck: {yellow: 1, red: 2}, surge: {yellow: 0.8, red: 1.0}}
                STATION:        {backlog: {yellow: 5, red: 10}, stuck: {yellow: 5, red: 10}, surge: {yellow: 0.8, red: 1.0}}
            districts:
              - {code: "330482", name: 平湖市, capacity-per-hour: {SORTING_CENTER: 4}}
            peak-seasons:
              - {name: DOUBLE_11, from: "11-11", to: "11-11", threshold-multiplier: 2}
            facilities: registry.csv
            """;

    private MonitorConfig config(String yaml) throws Exception {
        Files.writeString(dir.resolve("registry.csv"), "facilityId,facilityType,districtCode\nSC-R,SORTING_CENTER,330482\n");
        Path file = dir.resolve("monitor.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(file, Map.of());
    }

    private static String scan(String id, String waybill, String type, String facility, String ftype, String district,
            String time) {
        return "{\"eventId\":\"" + id + "\",\"waybillNo\":\"" + waybill + "\",\"scanType\":\"" + type
                + "\",\"facilityId\":\"" + facility + "\"" + (ftype == null ? "" : ",\"facilityType\":\"" + ftype + "\"")
                + (district == null ? "" : ",\"districtCode\":\"" + district + "\"") + ",\"eventTime\":\"" + time + "\"}";
    }

    @Test
    void outOfOrderDuplicatesLateImplicitDeparturesRegistrySeasonAndHysteresis() throws Exception {
        String feed = String.join("\n",
                scan("p1-1", "P1", "COLLECTED", "ST-A", "STATION", "330482", "2026-11-10T20:10:00+08:00"),
                scan("p1-2", "P1", "DEPARTED", "ST-A", "STATION", "330482", "2026-11-10T20:40:00+08:00"),
                scan("p1-3", "P1", "ARRIVED", "SC-R", null, null, "2026-11-10T21:05:00+08:00"),        // registry
                scan("p2-2", "P2", "DEPARTED", "SC-R", null, null, "2026-11-10T21:50:00+08:00"),       // before its arrival
                scan("p2-1", "P2", "ARRIVED", "SC-R", null, null, "2026-11-10T21:10:00+08:00"),
                scan("p2-1", "P2", "ARRIVED", "SC-R", null, null, "2026-11-10T21:10:00+08:00"),        // duplicate
                scan("p3-1", "P3", "ARRIVED", "SC-R", null, null, "2026-11-10T13:20:00Z"),             // 21:20 local
                scan("p4-1", "P4", "ARRIVED", "SC-R", null, null, "2026-11-10T20:30:00+08:00"),        // late: < 21:50 - 1h
                "   ",                                                                                      // blank: not input
                "{\"eventId\": \"bad\"",                                                                // dead letter
                scan("p1-4", "P1", "ARRIVED", "SC-B", "SORTING_CENTER", "320506", "2026-11-10T23:30:00+08:00"), // implicit
                scan("p3-2", "P3", "DEPARTED", "SC-R", null, null, "2026-11-11T00:30:00+08:00")) + "\n";
        Path input = dir.resolve("a.jsonl");
        Files.writeString(input, feed);

        Result r = PipelineRun.replay(config(CONFIG), input.toString(), 2);

        assertThat(r.metrics()).containsExactly(
                metrics("320506", null, "SORTING_CENTER", "2026-11-10T23:00", "2026-11-11T00:00", 1, 0, 1, 0, null),
                metrics("330482", "\"平湖市\"", "SORTING_CENTER", "2026-11-10T21:00", "2026-11-10T22:00", 3, 1, 2, 0, null),
                metrics("330482", "\"平湖市\"", "SORTING_CENTER", "2026-11-10T23:00", "2026-11-11T00:00", 0, 1, 1, 1, null),
                metrics("330482", "\"平湖市\"", "SORTING_CENTER", "2026-11-11T00:00", "2026-11-11T01:00", 0, 1, 0, 0,
                        "\"DOUBLE_11\""),
                metrics("330482", "\"平湖市\"", "STATION", "2026-11-10T20:00", "2026-11-10T21:00", 1, 1, 0, 0, null));
        String backlogId = "330482/SORTING_CENTER/BACKLOG/2026-11-10T22:00:00+08:00";
        String stuckId = "330482/SORTING_CENTER/STUCK/2026-11-11T00:00:00+08:00";
        assertThat(r.alerts()).containsExactly(
                // held at 1 >= 2 x 0.5 out of season; in season the hold level doubles to 2 and the backlog of 0 resolves
                alert(backlogId, "BACKLOG", "OPEN", "YELLOW", "NONE", 2, 2, "2026-11-10T21:00", "2026-11-10T22:00", null),
                alert(backlogId, "BACKLOG", "RESOLVED", "NONE", "YELLOW", 0, 2, "2026-11-11T00:00", "2026-11-11T01:00",
                        "\"DOUBLE_11\""),
                alert(stuckId, "STUCK", "OPEN", "YELLOW", "NONE", 1, 1, "2026-11-10T23:00", "2026-11-11T00:00", null),
                alert(stuckId, "STUCK", "RESOLVED", "NONE", "YELLOW", 0, 1, "2026-11-11T00:00", "2026-11-11T01:00",
                        "\"DOUBLE_11\""));
        assertThat(r.deadLetters()).containsExactly("{\"reason\":\"MALFORMED_JSON\",\"detail\":\"record is not valid JSON: "
                + "Unexpected end-of-input: expected close marker for Object at column 18 (file:a.jsonl:10)\",\"raw\":\"{\\\"eventId\\\": \\\"bad\\\"\","
                + "\"source\":\"file:a.jsonl:10\"}");
        assertThat(r.lateEvents()).containsExactly("{\"event\":{\"eventId\":\"p4-1\",\"waybillNo\":\"P4\",\"scanType\":"
                + "\"ARRIVED\",\"facilityId\":\"SC-R\",\"facilityType\":\"SORTING_CENTER\",\"districtCode\":\"330482\","
                + "\"carrier\":null,\"eventTime\":\"2026-11-10T20:30:00+08:00\"},\"source\":\"file:a.jsonl:8\","
                + "\"cutoff\":\"2026-11-10T20:50:00+08:00\"}");
        RunSummary s = r.summary();
        assertThat(new long[] {s.input(), s.counted(), s.duplicates(), s.late(), s.invalid(), s.metrics(), s.alerts()})
                .containsExactly(11, 8, 1, 1, 1, 5, 4);
    }

    @Test
    void aLateRecordDoesNotMakeItsEventIdSeen() throws Exception {
        Path input = dir.resolve("late-then-on-time.jsonl");
        Files.writeString(input, String.join("\n",
                scan("a", "L1", "ARRIVED", "ST-1", "STATION", "110101", "2026-11-10T12:00:00+08:00"),
                scan("x", "L2", "ARRIVED", "ST-1", "STATION", "110101", "2026-11-10T09:00:00+08:00"),  // late
                scan("x", "L2", "ARRIVED", "ST-1", "STATION", "110101", "2026-11-10T11:30:00+08:00"))); // counted
        Result r = PipelineRun.replay(config(CONFIG), input.toString(), 2);
        RunSummary s = r.summary();
        assertThat(new long[] {s.input(), s.counted(), s.duplicates(), s.late()}).containsExactly(3, 2, 0, 1);
        assertThat(r.metrics()).containsExactly(
                metrics("110101", null, "STATION", "2026-11-10T11:00", "2026-11-10T12:00", 1, 0, 1, 0, null),
                metrics("110101", null, "STATION", "2026-11-10T12:00", "2026-11-10T13:00", 1, 0, 2, 0, null));
    }

    @Test
    void oneDayWindowsStartAtLocalMidnight() throws Exception {
        Path input = dir.resolve("day.jsonl");
        Files.writeString(input, String.join("\n",
                scan("a", "D1", "ARRIVED", "ST-1", "STATION", "110101", "2026-11-10T23:59:59.999+08:00"),
                scan("b", "D1", "DELIVERED", "ST-1", "STATION", "110101", "2026-11-10T16:00:00Z"),  // 00:00 local
                scan("c", "D2", "EXCEPTION", "ST-1", "STATION", "110101", "2026-11-11T23:59:59+08:00")));
        Result r = PipelineRun.replay(config(CONFIG.replace("size: 1h", "size: 1d")), input.toString(), 2);
        assertThat(r.metrics()).containsExactly(
                metrics("110101", null, "STATION", "2026-11-10T00:00", "2026-11-11T00:00", 1, 0, 1, 0, null),
                "{\"district\":\"110101\",\"districtName\":null,\"facilityType\":\"STATION\","
                        + "\"windowStart\":\"2026-11-11T00:00:00+08:00\",\"windowEnd\":\"2026-11-12T00:00:00+08:00\","
                        + "\"arrivals\":0,\"departures\":1,\"deliveries\":1,\"exceptions\":1,\"backlog\":0,\"stuck\":0,"
                        + "\"season\":\"DOUBLE_11\"}");
    }

    private static String metrics(String district, String name, String type, String start, String end, int arrivals,
            int departures, int backlog, int stuck, String season) {
        return "{\"district\":\"" + district + "\",\"districtName\":" + name + ",\"facilityType\":\"" + type
                + "\",\"windowStart\":\"" + start + ":00+08:00\",\"windowEnd\":\"" + end + ":00+08:00\",\"arrivals\":"
                + arrivals + ",\"departures\":" + departures + ",\"deliveries\":0,\"exceptions\":0,\"backlog\":" + backlog
                + ",\"stuck\":" + stuck + ",\"season\":" + season + "}";
    }

    private static String alert(String id, String kind, String status, String level, String previous, int value,
            int threshold, String start, String end, String season) {
        return "{\"alertId\":\"" + id + "\",\"district\":\"330482\",\"districtName\":\"平湖市\","
                + "\"facilityType\":\"SORTING_CENTER\",\"kind\":\"" + kind + "\",\"status\":\"" + status
                + "\",\"level\":\"" + level + "\",\"previousLevel\":\"" + previous + "\",\"value\":" + value
                + ",\"threshold\":" + threshold + ",\"windowStart\":\"" + start + ":00+08:00\",\"windowEnd\":\"" + end
                + ":00+08:00\",\"season\":" + season + ",\"rulesVersion\":0}";
    }
}
