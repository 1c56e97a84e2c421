package com.expressmonitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.district.DistrictMetrics;
import com.expressmonitor.event.FacilityType;
import com.expressmonitor.metrics.DistrictLabels;
import com.expressmonitor.testing.AlertOperatorHarness;
import com.expressmonitor.testing.CapturedGauges;
import com.expressmonitor.testing.Scans;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The alert gauges of the alert operator: level and thresholds in force per district, facility type and kind, the
 * season multiplier, SURGE only where a capacity is configured, and "other" holding the highest level among the
 * districts beyond the bound, also after a restore.
 */
class AlertGaugesHarnessTest {
    private static final long WINDOW = 300_000L;

    @TempDir
    Path dir;

    private MonitorConfig config() throws Exception {
        Path yaml = dir.resolve("monitor.yaml");
        Files.writeString(yaml, """
                alerts:
                  hysteresis: 0.1
                  defaults:
                    SORTING_CENTER: {backlog: {yellow: 2, red: 3}, stuck: {yellow: 100, red: 500}, surge: {yellow: 0.8, red: 1.0}}
                peak-seasons:
                  - {name: PEAK, from: "11-11", to: "11-11", threshold-multiplier: 2.0}
                districts:
                  - {code: "330482", name: 平湖市, capacity-per-hour: {SORTING_CENTER: 120}}
                """);
        return ConfigLoader.load(yaml, Map.of());
    }

    private static AlertOperatorHarness harness(MonitorConfig config, CapturedGauges gauges) throws Exception {
        return AlertOperatorHarness.of(config, gauges.environment());
    }

    /** Each record in the next window of the day, so that each is evaluated as soon as the watermark closes it. */
    private long window;

    private DistrictMetrics metrics(String district, long arrivals, long backlog) {
        long start = Scans.at("2026-11-11T06:00") + WINDOW * window++;
        return new DistrictMetrics(district, null, FacilityType.SORTING_CENTER, start, start + WINDOW, arrivals, 0, 0, 0,
                backlog, 0, "PEAK");
    }

    private static String id(String name, String district, String kind) {
        return name + "{district=" + district + ",facilityType=SORTING_CENTER" + (kind == null ? "" : ",kind=" + kind)
                + "}";
    }

    private void fillers(AlertOperatorHarness h) throws Exception {
        for (int i = 0; i < DistrictLabels.MAX_OTHERS; i++) {
            h.evaluate(metrics(String.valueOf(410100 + i), 1, 0));
        }
    }

    @Test
    void levelsThresholdsAndTheHighestLevelOfOtherDistricts() throws Exception {
        MonitorConfig config = config();
        CapturedGauges before = new CapturedGauges();
        OperatorSubtaskState snapshot;
        try (var h = harness(config, before)) {
            h.open();
            fillers(h);
            // 20 arrivals in 5 minutes = 240/h: red surge at 1.0 x 120 x 2; backlog 6: red at 3 x 2.
            h.evaluate(metrics("330482", 20, 6));
            assertThat(before.value(id("alertLevel", "330482", "BACKLOG"))).isEqualTo(2);
            assertThat(before.value(id("thresholdYellow", "330482", "BACKLOG"))).isEqualTo(4.0);
            assertThat(before.value(id("thresholdRed", "330482", "BACKLOG"))).isEqualTo(6.0);
            assertThat(before.value(id("alertLevel", "330482", "STUCK"))).isEqualTo(0);
            assertThat(before.value(id("thresholdYellow", "330482", "STUCK"))).isEqualTo(200.0);
            assertThat(before.value(id("thresholdRed", "330482", "STUCK"))).isEqualTo(1000.0);
            assertThat(before.value(id("alertLevel", "330482", "SURGE"))).isEqualTo(2);
            assertThat(before.value(id("thresholdYellow", "330482", "SURGE"))).isEqualTo(192.0);
            assertThat(before.value(id("thresholdRed", "330482", "SURGE"))).isEqualTo(240.0);
            assertThat(before.value(id("seasonMultiplier", "330482", null))).isEqualTo(2.0);
            // no capacity, no SURGE
            assertThat(before.value(id("alertLevel", "410100", "BACKLOG"))).isEqualTo(0);
            assertThat(before.value(id("alertLevel", "410100", "SURGE"))).isNull();

            h.evaluate(metrics("510101", 1, 6)); // red
            h.evaluate(metrics("510102", 1, 4)); // yellow
            assertThat(before.value(id("alertLevel", "510101", "BACKLOG"))).isNull();
            assertThat(before.value(id("alertLevel", "other", "BACKLOG"))).isEqualTo(2);
            assertThat(before.value(id("thresholdRed", "other", "BACKLOG"))).isEqualTo(6.0);
            assertThat(before.value(id("alertLevel", "other", "SURGE"))).isNull();
            h.evaluate(metrics("510101", 1, 0)); // resolved: 510102 is still yellow
            assertThat(before.value(id("alertLevel", "other", "BACKLOG"))).isEqualTo(1);
            assertThat(before.ids().stream().filter(i -> i.contains("district="))).hasSize(
                    DistrictLabels.MAX_OTHERS * 7 + 10 + 7); // 3 kinds + multiplier for 330482, 2 kinds for the rest
            snapshot = h.snapshot(1L, 1L);
        }

        CapturedGauges after = new CapturedGauges();
        try (var h = harness(config, after)) {
            h.initializeState(snapshot);
            h.open();
            fillers(h);
            h.evaluate(metrics("510102", 1, 4)); // still yellow, as restored: counted
            assertThat(after.value(id("alertLevel", "other", "BACKLOG"))).isEqualTo(1);
            h.evaluate(metrics("510103", 1, 10)); // red
            assertThat(after.value(id("alertLevel", "other", "BACKLOG"))).isEqualTo(2);
            h.evaluate(metrics("510103", 1, 0)); // resolved: back to 510102's yellow
            assertThat(after.value(id("alertLevel", "other", "BACKLOG"))).isEqualTo(1);
            h.evaluate(metrics("510102", 1, 0));
            assertThat(after.value(id("alertLevel", "other", "BACKLOG"))).isEqualTo(0);
        }
    }
}
