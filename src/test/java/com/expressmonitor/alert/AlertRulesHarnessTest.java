package com.expressmonitor.alert;

import static com.expressmonitor.testing.ExpectedAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.config.RuleUpdate;
import com.expressmonitor.district.DistrictMetrics;
import com.expressmonitor.event.FacilityType;
import com.expressmonitor.io.OutputJson;
import com.expressmonitor.testing.AlertOperatorHarness;
import com.expressmonitor.testing.Scans;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The alert operator with versions of the rules: each window is evaluated with the version in effect at its start,
 * whichever input arrives first; metrics records are named from those rules; versions no window can need are dropped;
 * versions and waiting records survive a rescale.
 */
class AlertRulesHarnessTest {
    private static final long MIN = Long.MIN_VALUE;
    private static final long WINDOW = 300_000L;
    /** Station backlog: yellow at 4, red at 8 (no district overrides for 330402). */
    private static final MonitorConfig CONFIG = ConfigLoader.load(null, Map.of(
            "alerts.defaults.STATION.backlog.yellow", "4", "alerts.defaults.STATION.backlog.red", "8"));
    /** Version 1: 330402 named, its station backlog thresholds raised tenfold. */
    private static final String V1 = RuleUpdate.parseLive("{\"version\": 1, \"district\": {\"code\": \"330402\", "
            + "\"name\": \"南湖区\", \"thresholds\": {\"STATION\": {\"backlog\": {\"yellow\": 40, \"red\": 80}}}}}")
            .applyTo(CONFIG.rules()).json();

    private static DistrictMetrics metrics(String district, String start, long backlog) {
        long s = Scans.at(start);
        return new DistrictMetrics(district, null, FacilityType.STATION, s, s + WINDOW, 1, 0, 0, 0, backlog, 0, null);
    }

    private static List<String> json(List<Alert> alerts) {
        OutputJson json = new OutputJson(CONFIG.zoneOffsetSeconds());
        List<String> out = new ArrayList<>();
        alerts.forEach(a -> out.add(new String(json.alert(a), StandardCharsets.UTF_8)));
        return out;
    }


    @Test
    void eachWindowUsesTheVersionInEffectAtItsStartWhicheverInputArrivesFirst() throws Exception {
        try (AlertOperatorHarness h = AlertOperatorHarness.of(CONFIG, null)) {
            h.open();
            // The records arrive before the versions they need: they wait for the watermark.
            h.metrics(metrics("330402", "2026-11-11T10:00", 6));
            h.metrics(metrics("330402", "2026-11-11T10:05", 9));
            h.metrics(metrics("330402", "2026-11-11T10:10", 13));
            assertThat(h.takeAlerts()).isEmpty();
            h.rules(new RuleVersion(0, MIN, CONFIG.rules().json()));
            h.rules(new RuleVersion(1, Scans.at("2026-11-11T10:10"), V1));
            h.watermark(Scans.at("2026-11-11T10:15") - 1);
            assertThat(json(h.takeAlerts())).containsExactly(
                    alert("OPEN", "YELLOW", "NONE", 6, 4, "10:00", "10:05", null, 0, "10:05"),
                    alert("ESCALATED", "RED", "YELLOW", 9, 8, "10:05", "10:10", null, 0, "10:05"),
                    // 13 is below 80 x 0.9 and 40 x 0.9: resolved at once, with the new version's hold level
                    alert("RESOLVED", "NONE", "RED", 13, 36, "10:10", "10:15", "南湖区", 1, "10:05"));
            assertThat(h.takeMetrics()).extracting(DistrictMetrics::districtName).containsExactly(null, null, "南湖区");
        }
    }

    @Test
    void aRecordWaitsUntilTheWatermarkPassesItsWindow() throws Exception {
        try (AlertOperatorHarness h = AlertOperatorHarness.of(CONFIG, null)) {
            h.open();
            h.rules(new RuleVersion(0, MIN, CONFIG.rules().json()));
            h.metrics(metrics("330402", "2026-11-11T10:00", 6));
            h.watermark(Scans.at("2026-11-11T10:05") - 2);
            assertThat(h.takeAlerts()).isEmpty();
            h.watermark(Scans.at("2026-11-11T10:05") - 1);
            assertThat(h.takeAlerts()).hasSize(1);
        }
    }

    @Test
    void versionsNoWindowCanUseAreDropped() throws Exception {
        try (AlertOperatorHarness h = AlertOperatorHarness.of(CONFIG, null)) {
            h.open();
            h.rules(new RuleVersion(0, MIN, CONFIG.rules().json()));
            h.rules(new RuleVersion(1, Scans.at("2026-11-11T10:10"), V1));
            assertThat(h.versions()).containsExactly(0L, 1L);
            // Watermark 10:29:59.999: what is left to evaluate starts at 10:25 or later, where version 1 is in effect.
            h.watermark(Scans.at("2026-11-11T10:30") - 1);
            h.rules(new RuleVersion(2, Scans.at("2026-11-11T10:30"), CONFIG.rules().json()));
            assertThat(h.versions()).containsExactly(1L, 2L);
        }
    }

    @Test
    void versionsAndWaitingRecordsSurviveARescale() throws Exception {
        OperatorSubtaskState state;
        List<String> keys = List.of("330402", "330102", "320506", "110101");
        try (AlertOperatorHarness h = AlertOperatorHarness.of(CONFIG, null)) {
            h.open();
            h.rules(new RuleVersion(0, MIN, CONFIG.rules().json()));
            h.rules(new RuleVersion(1, Scans.at("2026-11-11T10:10"), V1));
            for (String k : keys) {
                h.metrics(metrics(k, "2026-11-11T10:10", 50)); // waiting: no watermark yet
            }
            state = h.snapshot(1, 1);
        }
        List<Alert> alerts = new ArrayList<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            try (AlertOperatorHarness h = AlertOperatorHarness.subtask(CONFIG, 2, subtask)) {
                h.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(state, 128, 1, 2, subtask));
                h.open();
                assertThat(h.versions()).containsExactly(0L, 1L);
                h.watermark(Scans.at("2026-11-11T10:15") - 1);
                alerts.addAll(h.takeAlerts());
            }
        }
        // Every district once, each with the version in effect at 10:10: 50 is yellow with version 1 (yellow at 40
        // for 330402), red with the file's defaults (red at 8) elsewhere.
        assertThat(alerts).extracting(Alert::district, Alert::level, Alert::rulesVersion).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("330402", AlertLevel.YELLOW, 1L),
                org.assertj.core.groups.Tuple.tuple("330102", AlertLevel.RED, 1L),
                org.assertj.core.groups.Tuple.tuple("320506", AlertLevel.RED, 1L),
                org.assertj.core.groups.Tuple.tuple("110101", AlertLevel.RED, 1L));
    }
}
